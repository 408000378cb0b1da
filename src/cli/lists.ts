// ppl-nix catalog / ppl-nix pins: what can be chosen.
import { parseArgs } from 'node:util';
import { CATALOG, CATEGORY_TITLES } from '../core/catalog/catalog';
import { allPins, defaultPin, pythonsOf } from '../core/pins/pins';
import { customPins, EXIT, type Io } from './io';

export const LISTS_HELP = `  ppl-nix catalog [--json]        List the packages PPL Nix offers.
  ppl-nix pins [--json]           List the nixpkgs pins (newest first; default marked).`;

export function listCommand(kind: 'catalog' | 'pins', args: string[], io: Io): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  if (kind === 'catalog') {
    if (values.json === true) return (io.out(JSON.stringify(CATALOG, null, 2)), EXIT.ok);
    for (const [category, title] of Object.entries(CATEGORY_TITLES)) {
      io.out(`${title}:`);
      for (const entry of CATALOG.filter((e) => e.category === category))
        io.out(`  ${entry.id.padEnd(24)} ${entry.displayName}: ${entry.description}`);
    }
    return EXIT.ok;
  }
  const pins = allPins(customPins(io));
  if (values.json === true) return (io.out(JSON.stringify(pins, null, 2)), EXIT.ok);
  const fallback = defaultPin().label;
  for (const pin of pins) {
    const mark = pin.label === fallback ? ' (default)' : '';
    io.out(`${pin.label}${mark}\n  ${pin.url}\n  sha256 ${pin.sha256}; Python ${pythonsOf(pin).join(', ')}`);
  }
  return EXIT.ok;
}
