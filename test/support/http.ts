// Raw HTTP for the cases fetch hides: a huge body streamed without waiting (the server may answer before it has
// read it all), a body sent chunked, a URL sent byte for byte as written.
import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * Sends `method url` with `headers`, then `totalBytes` of `fill` in 64 KB chunks (chunked when no Content-Length is
 * given), and resolves with the first answer — without waiting for the upload to finish.
 */
export function sendRaw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; totalBytes?: number; body?: string; fill?: string },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    let answered = false;
    req.on('response', () => {
      answered = true;
    });
    // Once the server has answered it may close the connection mid-upload: that is not a failure of the test.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (opts.body !== undefined) {
      req.end(opts.body);
      return;
    }
    const chunk = Buffer.from((opts.fill ?? 'a').repeat(64 * 1024));
    let left = opts.totalBytes ?? 0;
    const pump = () => {
      while (left > 0 && !answered && !req.destroyed) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}
