export * from './explain';
export * from './local-time';
export * from './quote';
export * from './rate';
export * from './rate-call';
export * from './rate-snapshot';
export * from './rate-validation';
