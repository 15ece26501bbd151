/** `scopes scan [dir...]`: find DingTalk API use in a source tree and the scopes it needs. */
import type { Command } from 'commander';
import type { Renderers } from '../render/present.js';
import * as render from '../render/scan.js';
import { scanTree, type ScanResult } from '../scan/index.js';
import { openConfigForWrite } from '../scan/write-config.js';
import { action, withExamples } from './shared.js';

interface ScanOptions {
  writeConfig?: boolean;
  app?: string;
  config?: string;
}

const renderers: Renderers<ScanResult> = {
  text: render.renderScanText,
  json: render.scanJson,
  markdown: render.renderScanMarkdown,
  github: render.renderScanGithub,
};

export function registerScan(scopes: Command): void {
  const scan = scopes
    .command('scan')
    .argument('[dir...]', 'directories or files to scan (default: .)')
    .description('read a codebase and list the DingTalk APIs it calls and the scopes they need')
    .option('--write-config', "merge the found scopes into the app's `required` list in the config file")
    .option('--app <name>', 'app to write to with --write-config (default: defaultApp or the only app)')
    .option('--config <file>', 'config file to write (default: nearest .dingtalkrc*)')
    .action(
      action(renderers, async (out, opts: ScanOptions, dirs: string[] = []) => {
        const roots = dirs.length > 0 ? dirs : ['.'];
        // Config problems fail before the scan, not after it.
        const writer = opts.writeConfig
          ? await openConfigForWrite({
              cwd: process.cwd(),
              configPath: opts.config,
              app: opts.app,
            })
          : null;
        const result = await scanTree(roots, { cwd: process.cwd() });

        if (writer) {
          // Base scopes come with every app of the type: nothing for `check` to verify.
          const { toRequest, granted } = render.splitBase(result.scopes);
          const note = granted.length > 0 ? `\n(not written, granted by default: ${granted.map((s) => s.code).join(', ')})` : '';
          const written = await writer.write(
            toRequest.map((s) => s.code),
            (diff) => out.info(`${diff}${note}`, true),
          );
          out.info(written.changed ? `wrote ${written.added.length} scope(s) to ${written.file}` : `${written.file} unchanged`);
        }
        // Finding scopes is information, not a failure.
        return { result, exit: 0 };
      }),
    );
  withExamples(scan, [
    ['dingtalk-doctor scopes scan', 'scan the current directory'],
    ['dingtalk-doctor scopes scan src services/api --json', 'scan two directories, machine-readable'],
    ['dingtalk-doctor scopes scan --format markdown > SCOPES.md', 'a table for a README or PR'],
    ['dingtalk-doctor scopes scan --write-config --app crm', 'add the found scopes to apps.crm.required'],
  ]);
}
