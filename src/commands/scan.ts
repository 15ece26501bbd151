/** `scopes scan [dir...]`: find DingTalk API use in a source tree and the scopes it needs. */
import type { Command } from 'commander';
import { usageError } from '../errors.js';
import * as render from '../render/scan.js';
import { MissingRootError, scanTree } from '../scan/index.js';
import { openConfigForWrite } from '../scan/write-config.js';
import { action, withExamples } from './shared.js';

export function registerScan(scopes: Command): void {
  const scan = scopes
    .command('scan')
    .argument('[dir...]', 'directories or files to scan (default: .)')
    .description('read a codebase and list the DingTalk APIs it calls and the scopes they need')
    .option('--write-config', "merge the found scopes into the app's `required` list in the config file")
    .option('--app <name>', 'app to write to with --write-config (default: defaultApp or the only app)')
    .option('--config <file>', 'config file to write (default: nearest .dingtalkrc*)')
    .action(
      action(async (out, opts, dirs: string[] = []) => {
        const roots = dirs.length > 0 ? dirs : ['.'];
        // Config problems fail before the scan, not after it.
        const writer = opts.writeConfig
          ? await openConfigForWrite({
              cwd: process.cwd(),
              configPath: typeof opts.config === 'string' ? opts.config : undefined,
              app: typeof opts.app === 'string' ? opts.app : undefined,
            })
          : null;
        let result;
        try {
          result = await scanTree(roots, { cwd: process.cwd() });
        } catch (error) {
          if (error instanceof MissingRootError) throw usageError(`no such directory: ${error.root}`, 'pass directories that exist (default: .)');
          throw error;
        }
        const { format } = out.opts;
        if (format === 'json') out.json(render.scanJson(result));
        else if (format === 'markdown') out.print(render.renderScanMarkdown(result, out.opts));
        else if (format === 'github') out.print(render.renderScanGithub(result));
        else out.print(render.renderScanText(result, out.opts));

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
        return 0;
      }),
    );
  withExamples(scan, [
    ['dingtalk-doctor scopes scan', 'scan the current directory'],
    ['dingtalk-doctor scopes scan src services/api --json', 'scan two directories, machine-readable'],
    ['dingtalk-doctor scopes scan --format markdown > SCOPES.md', 'a table for a README or PR'],
    ['dingtalk-doctor scopes scan --write-config --app crm', 'add the found scopes to apps.crm.required'],
  ]);
}
