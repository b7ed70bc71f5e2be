using Joold.Host.CommandLine;

return await JooldCommandLine.InvokeAsync(args);
