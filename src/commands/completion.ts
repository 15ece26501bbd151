import type { Command } from 'commander';

export function registerCompletion(_program: Command): void {
  // `completion bash|zsh|fish` arrives with the ecosystem issue.
}
