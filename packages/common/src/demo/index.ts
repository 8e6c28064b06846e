export * from './ayutthaya.ts';
export { SEED_NEWS, SYNTHETIC } from '../provenance.ts';
export * from './synthetic.ts';
