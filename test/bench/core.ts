// Figures of the pure core and of file reads, in Node: the picker's preview update, and the scale
// figures that need no Nix: render time, language-server diagnostics time, discovery reads.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { formToSpec, initialForm } from '../../src/core/picker/form';
import { defaultPin, parseCustomPins, SHIPPED_PINS } from '../../src/core/pins/pins';
import { diagnose } from '../../src/core/shellNix/assist';
import { readNixFile } from '../../src/core/shellNix/reader';
import { updateShellNix } from '../../src/core/spec/readback';
import { renderShellNix } from '../../src/core/spec/render';
import { figure, point, timed, timeSync, type Figure, type ScaleSeries } from './stats';
import { discover, SCALE_SIZES, scaleSpec, writeEnvWorkspace } from './workspaces';

const PICKER = 'Picker';

/** Validate + render (a new file) and merge (an existing file): one picker change, in Node. */
export function previewFigures(): Figure[] {
  const pins = [...parseCustomPins([]).pins, ...SHIPPED_PINS];
  const form = {
    ...initialForm('file:///w', 'w', pins, defaultPin().label),
    packages: ['pymc', 'arviz', 'numpyro', 'jax', 'cmdstanpy', 'seaborn', 'ipykernel'],
    extraPackages: 'tqdm rich',
  };
  const existing = renderShellNix(formToSpec(form, pins).spec!);
  return [
    figure(
      {
        id: 'picker.preview.node',
        group: PICKER,
        label: 'preview update in Node (validate + render), 7 packages',
        unit: 'ms',
        target: { op: '<=', value: 16 },
        note: 'the same work as one change in the webview, without the DOM',
      },
      timeSync(() => renderShellNix(formToSpec(form, pins).spec!), 2000, 200),
    ),
    figure(
      {
        id: 'picker.preview.merge',
        group: PICKER,
        label: 'preview update of an existing file (merge), in Node',
        unit: 'ms',
        target: { op: '<=', value: 16 },
      },
      timeSync(() => updateShellNix(existing, formToSpec(form, pins).spec!), 2000, 200),
    ),
  ];
}

/** Render time and diagnostics time of a shell.nix with N packages; discovery reads of N files. */
export async function coreScale(tmp: string): Promise<ScaleSeries[]> {
  const pin = defaultPin();
  const render: ScaleSeries['points'][number][] = [];
  const diagnostics: ScaleSeries['points'][number][] = [];
  const reads: ScaleSeries['points'][number][] = [];
  for (const size of SCALE_SIZES) {
    const spec = scaleSpec(size, pin);
    render.push(
      point(
        size,
        timeSync(() => renderShellNix(spec), 300, 30),
      ),
    );
    const text = renderShellNix(spec);
    // The language server's work per change: parse the document, then every finding.
    diagnostics.push(
      point(
        size,
        timeSync(() => diagnose(readNixFile(text)), 300, 30),
      ),
    );
    const dir = join(tmp, `envs-${size}`);
    mkdirSync(dir, { recursive: true });
    writeEnvWorkspace(dir, size, pin);
    const samples: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { ms, value } = await timed(() => discover(dir));
      if (value.length !== size) throw new Error(`discovery found ${value.length} of ${size} environments`);
      if (i >= 2) samples.push(ms); // the first two warm the page cache and the JIT
    }
    reads.push(point(size, samples));
  }
  return [
    { id: 'scale.render', label: 'render shell.nix (N packages)', points: render },
    { id: 'scale.diagnostics', label: 'diagnostics, parse + diagnose (N packages)', points: diagnostics },
    { id: 'scale.discovery.node', label: 'discovery reads in Node (N files)', points: reads },
  ];
}
