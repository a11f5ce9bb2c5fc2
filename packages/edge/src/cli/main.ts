// The `attune` command. Each command is a module; this file only dispatches.
import { writeFile } from 'node:fs/promises';
import { configJsonSchema } from '../config/json-schema.js';
import { CATALOG_HELP, catalogCommand } from './catalog-import.js';
import { CONFIG_HELP, configCommand } from './config-sync.js';
import { EXPORT_HELP, exportCommand } from './export-events.js';
import { IMPORT_HELP, importCommand } from './import-command.js';
import { formatResult, validateFile } from './validate-file.js';

/** For the build, which refuses a broken config. */
export { formatResult, validateFile };

const HELP = `Usage: attune <command>

Commands:
  validate <file> [--dev]    check a config file; prints every problem with its path; exit 1 on errors
                             (--dev: as local development, where webhooks may go to http://localhost)
  schema [--write <file>]    print (or write) the config's JSON Schema
${CATALOG_HELP}
${CONFIG_HELP}
${IMPORT_HELP}
${EXPORT_HELP}
`;

export async function main(argv: string[], out = console.log, err = console.error): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'validate': {
      // A deployed Worker refuses webhooks to this machine; --dev checks as `npm start` runs (ATTUNE_ENV=development).
      const dev = args.includes('--dev');
      const files = args.filter((a) => a !== '--dev');
      if (!files[0]) return err('attune validate: which file? e.g. attune validate attune.config.json'), 2;
      let failed = false;
      for (const file of files) {
        const r = await validateFile(file, { allowLocalWebhooks: dev });
        (r.ok ? out : err)(formatResult(file, r));
        failed ||= !r.ok;
      }
      return failed ? 1 : 0;
    }
    case 'schema': {
      const json = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
      if (args[0] === '--write' && args[1]) {
        await writeFile(args[1], json);
        out(`wrote ${args[1]}`);
      } else out(json);
      return 0;
    }
    case 'catalog':
      return catalogCommand(args, out, err);
    case 'config':
      return configCommand(args, out, err);
    case 'import':
      // Progress goes to stderr: a bar redrawn in place on a terminal, a line every few seconds in a log.
      return importCommand(args, out, err, { progress: process.stderr });
    case 'export':
      return exportCommand(args, out, err);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(HELP);
      return 0;
    default:
      err(`attune: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}
