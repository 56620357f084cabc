// Jetty's error page, which Apache's AdminServer and its Prometheus endpoint answer with.
const encoder = new TextEncoder();

/** Jetty's error page, less its servlet and version lines (herd is not Jetty). */
export function errorPage(uri: string, status: number, message: string): Response {
  const html =
    `<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>\n` +
    `<title>Error ${status} ${message}</title>\n</head>\n<body><h2>HTTP ERROR ${status} ${message}</h2>\n` +
    `<table>\n<tr><th>URI:</th><td>${uri}</td></tr>\n<tr><th>STATUS:</th><td>${status}</td></tr>\n` +
    `<tr><th>MESSAGE:</th><td>${message}</td></tr>\n</table>\n\n</body>\n</html>\n`;
  return new Response(encoder.encode(html), {
    status,
    headers: {
      "Cache-Control": "must-revalidate,no-cache,no-store",
      "Content-Type": "text/html;charset=iso-8859-1",
    },
  });
}
