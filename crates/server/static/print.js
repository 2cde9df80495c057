// The packet's Print button: a file rather than an inline handler, which the pages' policy refuses.
document.querySelectorAll('[data-print]').forEach((b) => b.addEventListener('click', () => window.print()));
