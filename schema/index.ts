// All table definitions, for drizzle-kit and for typed queries.
export * from './layers';
export * from './meta';
export * from './domain';
export * from './audit';
export * from './pii';
