/** Every dataset seq-scan can produce, by name. Each lives in its own file beside this one. */
import { jsonlDataset } from './jsonl.js';
import type { Dataset } from './types.js';
import { usageDataset } from './usage.js';

const DATASETS: readonly Dataset[] = [usageDataset, jsonlDataset];

export function datasetNames(): string[] {
  return DATASETS.map((d) => d.name);
}

export function findDataset(name: string): Dataset | undefined {
  return DATASETS.find((d) => d.name === name);
}

export function allDatasets(): readonly Dataset[] {
  return DATASETS;
}
