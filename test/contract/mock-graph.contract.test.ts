import { describeGraphContract } from './graph-contract.js';
import { startMockGraphTarget } from './mock-graph-target.js';

describeGraphContract('the bundled mock over HTTPS', startMockGraphTarget);
