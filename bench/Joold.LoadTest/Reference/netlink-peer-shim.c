/*
 * LD_PRELOAD shim for the load tool's --reference mode (our own code; see README, "Performance").
 *
 * C joold (Jool 4.1.15's userspace, through libnl-3) only talks to the real kernel: every netlink request goes
 * to port id 0. The load tool runs it against a user-space fake kernel instead, which listens on another port
 * id (JOOLD_SHIM_NETLINK_PEER). This shim:
 *   - rewrites the destination of unicast netlink sends to port 0 into the fake's port id (family resolution
 *     through nlctrl, JOOLD_ACK, JOOLD_ADD: the fake answers all of them);
 *   - rewrites the source of netlink datagrams received from the fake back to port 0, so libnl sees what it
 *     would see from the kernel;
 *   - copies syslog(3) lines to stderr, so the tool sees the daemon's start-up lines (C joold logs only to
 *     syslog) and can time its readiness.
 * Multicast group sends and non-netlink sockets are passed through untouched.
 *
 * Built by the load tool at run time: gcc -shared -fPIC -O2 -o netlink-peer-shim.so netlink-peer-shim.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <linux/netlink.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>

static uint32_t peer_port;

static ssize_t (*real_sendto)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static ssize_t (*real_recvfrom)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
static ssize_t (*real_recvmsg)(int, struct msghdr *, int);

__attribute__((constructor)) static void shim_init(void)
{
	const char *port = getenv("JOOLD_SHIM_NETLINK_PEER");

	peer_port = port ? (uint32_t)strtoul(port, NULL, 10) : 0;
	real_sendto = dlsym(RTLD_NEXT, "sendto");
	real_sendmsg = dlsym(RTLD_NEXT, "sendmsg");
	real_recvfrom = dlsym(RTLD_NEXT, "recvfrom");
	real_recvmsg = dlsym(RTLD_NEXT, "recvmsg");
}

/* A unicast netlink address for the kernel: the ones to redirect. */
static int is_kernel(const void *name, socklen_t length)
{
	const struct sockaddr_nl *address = name;

	return peer_port != 0 && name != NULL && length >= sizeof(struct sockaddr_nl)
		&& address->nl_family == AF_NETLINK && address->nl_pid == 0 && address->nl_groups == 0;
}

/* A netlink source address that is the fake's: shown as the kernel's. */
static void unmask_source(void *name, socklen_t length)
{
	struct sockaddr_nl *address = name;

	if (peer_port != 0 && name != NULL && length >= sizeof(struct sockaddr_nl)
			&& address->nl_family == AF_NETLINK && address->nl_pid == peer_port)
		address->nl_pid = 0;
}

ssize_t sendto(int fd, const void *buffer, size_t length, int flags, const struct sockaddr *to, socklen_t to_length)
{
	struct sockaddr_nl redirected;

	if (is_kernel(to, to_length)) {
		memcpy(&redirected, to, sizeof(redirected));
		redirected.nl_pid = peer_port;
		return real_sendto(fd, buffer, length, flags, (const struct sockaddr *)&redirected, sizeof(redirected));
	}
	return real_sendto(fd, buffer, length, flags, to, to_length);
}

ssize_t sendmsg(int fd, const struct msghdr *message, int flags)
{
	struct sockaddr_nl redirected;
	struct msghdr copy;

	if (message != NULL && is_kernel(message->msg_name, message->msg_namelen)) {
		memcpy(&redirected, message->msg_name, sizeof(redirected));
		redirected.nl_pid = peer_port;
		copy = *message;
		copy.msg_name = &redirected;
		copy.msg_namelen = sizeof(redirected);
		return real_sendmsg(fd, &copy, flags);
	}
	return real_sendmsg(fd, message, flags);
}

ssize_t recvfrom(int fd, void *buffer, size_t length, int flags, struct sockaddr *from, socklen_t *from_length)
{
	ssize_t result = real_recvfrom(fd, buffer, length, flags, from, from_length);

	if (result >= 0 && from != NULL && from_length != NULL)
		unmask_source(from, *from_length);
	return result;
}

ssize_t recvmsg(int fd, struct msghdr *message, int flags)
{
	ssize_t result = real_recvmsg(fd, message, flags);

	if (result >= 0 && message != NULL)
		unmask_source(message->msg_name, message->msg_namelen);
	return result;
}

static void log_line(const char *format, va_list arguments)
{
	char line[1024];

	vsnprintf(line, sizeof(line), format, arguments);
	line[strcspn(line, "\n")] = '\0';
	fprintf(stderr, "syslog: %s\n", line);
}

void vsyslog(int priority, const char *format, va_list arguments)
{
	(void)priority;
	log_line(format, arguments);
}

void syslog(int priority, const char *format, ...)
{
	va_list arguments;

	(void)priority;
	va_start(arguments, format);
	log_line(format, arguments);
	va_end(arguments);
}

void __syslog_chk(int priority, int flag, const char *format, ...)
{
	va_list arguments;

	(void)priority;
	(void)flag;
	va_start(arguments, format);
	log_line(format, arguments);
	va_end(arguments);
}
