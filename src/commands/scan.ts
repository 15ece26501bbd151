/** `scopes scan [dir...]`: find DingTalk API use in a source tree. (Filled by the scan issue.) */
import type { Command } from 'commander';

export function registerScan(_scopes: Command): void {}
