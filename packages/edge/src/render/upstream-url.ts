// Proxy mode: the URL of the origin's page for a request. The target starts as ORIGIN itself and only its
// path and query are replaced, so no path can move it to another host: a string resolved against ORIGIN
// (`new URL(path, ORIGIN)`) would read `//attacker.example/x` as a host of its own.
import { fail } from '../http/errors.js';

/** ORIGIN parsed; a setting that is not an absolute http(s) URL is the operator's error, said plainly. */
export function originOf(setting: string): URL {
  let origin: URL;
  try {
    origin = new URL(setting);
  } catch {
    fail(500, 'proxy mode: the ORIGIN setting is not an absolute URL (e.g. https://shop.example)');
  }
  if (origin.protocol !== 'https:' && origin.protocol !== 'http:') fail(500, `proxy mode: the ORIGIN setting must be an http(s) URL, not ${origin.protocol}`);
  return origin;
}

/**
 * The origin's URL for `requestUrl`: ORIGIN's scheme, host and port, the request's path and query. Any path
 * the ORIGIN setting has is replaced, as it always was (the request's path is the origin's path). Whatever
 * host the request URL carries (an absolute-form request line can name one) is ignored.
 */
export function upstreamUrl(requestUrl: string | URL, originSetting: string): URL {
  const origin = originOf(originSetting);
  const request = new URL(requestUrl);
  const target = new URL(origin.href);
  // The setters re-parse their input as a path or a query only: `//host`, `\host`, `@host` stay in the path.
  target.pathname = request.pathname;
  target.search = request.search;
  target.hash = '';
  // The setters above cannot change the host; this keeps it so if the code around them ever changes.
  if (target.origin !== origin.origin) fail(400, `the path ${JSON.stringify(request.pathname)} does not lead to the site's origin`);
  return target;
}
