namespace Joold.Plugins;
