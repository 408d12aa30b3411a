// Preloaded (node --require) into the web server that `cellscope serve` starts as its child, with
// an IPC channel to the parent. When the parent goes away however it ends (a crash, kill -9), the
// channel closes and this process exits too, so no orphan keeps holding the port.
'use strict';
if (typeof process.send === 'function') {
  process.on('disconnect', () => process.exit(0));
  // The channel alone must not keep this process alive or block its exit.
  if (process.channel && typeof process.channel.unref === 'function') process.channel.unref();
}
