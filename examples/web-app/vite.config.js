// The only configuration Gated needs: the two headers that make the page
// cross-origin isolated, so training can use more than one thread.
const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default { server: { headers: isolation }, preview: { headers: isolation } };
