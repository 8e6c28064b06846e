/**
 * Where the CPU time of each profiled process went, by category (bench/lib/profile.ts):
 *   npx tsx bench/profile.ts DIR [requests]
 * DIR holds one folder per process with its `.cpuprofile` (as `npm run bench -- --cpu-prof DIR`
 * writes them under DIR/s<scale>); `requests` divides the busy time into a time per request.
 */
import { renderProfiles, summarizeProfiles } from './lib/profile.ts';

const [dir, requests] = process.argv.slice(2);
if (!dir) {
  console.error('usage: npx tsx bench/profile.ts DIR [requests]');
  process.exit(2);
}
console.log(renderProfiles(summarizeProfiles(dir), requests ? () => Number(requests) : undefined));
