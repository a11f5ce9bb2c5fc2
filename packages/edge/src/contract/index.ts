// Everything that crosses a package boundary. Browser packages import from here with `import type`.
export * from './events.js';
export * from './sites.js';
export * from './config.js';
export * from './rules.js';
export * from './decide.js';
export * from './profile.js';
export * from './consent-cookie.js';
export * from './reports.js';
export * from './triggers.js';
