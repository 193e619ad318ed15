export * from './attribution-index';
export * from './classify-call';
export * from './destination-country';
export * from './explain-step';
export * from './numbering-plan';
export * from './prefix-table';
export * from './route-prefix';
export * from './special-numbers';
