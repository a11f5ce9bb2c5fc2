// What the marketer's workplace answers: the studio and its config API, reports, the archive, accounts and sessions,
// the admin API on profiles. (The dashboard's files are static assets the visitor Worker serves; their
// calls come back here.) The visitor Worker passes these paths on, untouched, over its WORKPLACE
// binding (visitor-app.ts), so a shop's one hostname serves both. A Hono path: `/x/*` also matches `/x`.
export const WORKPLACE_PATHS = ['/v1/config', '/v1/config/*', '/v1/reports/*', '/v1/archive/*', '/v1/admin/*', '/v1/profiles/*'] as const;
