import http from 'node:http';

/**
 * The demo shop: a page on a different origin that embeds the widget with one script tag, the way
 * a customer's website would. It exists so that embedding is really cross-origin from the start.
 */
export function shopPage(loketUrl: string, channelKey: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fietsenwinkel De Spaak — demo shop</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d2733; background: #f6f4ef; }
  header { background: #23403a; color: #fff; padding: 1rem 2rem; }
  main { max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
  .products { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: 1rem; }
  .product { background: #fff; border-radius: 8px; padding: 1rem; box-shadow: 0 1px 3px #0002; }
</style>
<script defer src="${loketUrl}/widget.js" data-channel="${channelKey}"></script>
</head>
<body>
<header><h1>Fietsenwinkel De Spaak</h1><p>A demo shop that embeds Loket's chat widget from another origin.</p></header>
<main>
  <h2>Bikes</h2>
  <div class="products">
    <div class="product"><h3>City bike</h3><p>€ 649</p></div>
    <div class="product"><h3>Cargo bike</h3><p>€ 2.399</p></div>
    <div class="product"><h3>Racing bike</h3><p>€ 1.249</p></div>
  </div>
  <p>Questions? Click the chat button at the bottom right.</p>
</main>
</body>
</html>`;
}

export function startShop(host: string, port: number, loketUrl: string, channelKey: string): Promise<http.Server> {
  const html = shopPage(loketUrl, channelKey);
  const server = http.createServer((req, res) => {
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
