export * from './schemas.js';
export * from './envelope.js';
export { hashEvent } from './hash.js';
export { upcast, currentSchemaVersion, CURRENT_SCHEMA_VERSION, type Upcaster } from './upcast.js';
export { assertValidEvent, validateNewEvent, decodeStoredEvent, isEventType } from './validate.js';
