using Joold.Host.CommandLine;

// Socket completions run on the epoll thread instead of hopping to a pool thread: every receive continuation in
// joold is short and never blocks, and the hop costs context switches per batch (bench/Joold.LoadTest). The runtime
// reads this when the first socket is used, so it must be set before any; an operator's own setting wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

return await JooldCommandLine.InvokeAsync(args);
