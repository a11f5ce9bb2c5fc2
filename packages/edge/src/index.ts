// The Worker's root: mounts the routes, one onError. Everything else lives in its own module.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';

type Bindings = { ASSETS: Fetcher; ATTUNE_ENV?: string };

const app = new Hono<{ Bindings: Bindings }>();

app.all('*', (c) => c.env.ASSETS.fetch(c.req.raw));

app.onError((err, c) => {
  if (err instanceof HTTPException) return c.json({ success: false, error: err.message }, err.status);
  console.error('attune: unhandled error', err);
  return c.json({ success: false, error: 'internal error' }, 500);
});

export default app;
