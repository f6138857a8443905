// Trunk's post-build hook: the two steps in order (Trunk starts hooks of one stage together,
// and both edit index.html). Each says what it does.
await import('./app-module-name.mjs');
await import('./start-script.mjs');
