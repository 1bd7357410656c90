export * from './limits.js';
export * from './errors.js';
export * from './email.js';
export * from './model.js';
export * from './http.js';
export * from './ws.js';
export * from './messages.js';
export * from './format.js';
