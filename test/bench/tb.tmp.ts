import { tablesBench } from './tables.js';
tablesBench(10000, 5);
