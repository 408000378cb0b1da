import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../src/shared/commands';
import { repoRoot } from '../nix/fixture';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; markdown?: string; image?: unknown; altText?: string };
  completionEvents?: string[];
}

const manifest = (): { contributes: { walkthroughs: { id: string; steps: Step[] }[] } } =>
  JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));

describe('the walkthrough', () => {
  it('goes from Nix to a shared pin: check Nix, create, enter, example, pin and share', () => {
    const [walkthrough] = manifest().contributes.walkthroughs;
    assert.ok(walkthrough);
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['nix', 'create', 'enter', 'example', 'share'],
    );
    const nix = walkthrough.steps[0]!;
    assert.match(nix.description, /\(https:\/\/nixos\.org\/download\)/);
    assert.match(nix.description, /command:pplNix\.checkNix/);
    assert.match(nix.description, /pplNix\.nixBinDir/);
    assert.doesNotMatch(nix.description, /needs Nix 2\.4/);
    assert.match(walkthrough.steps[3]!.description, /command:pplNix\.addExampleModel/);
    assert.match(walkthrough.steps[4]!.description, /shell\.nix[\s\S]*command:pplNix\.updatePin/);
  });

  it('gives every step a completion event on a real command (or context key) and theme-following media', () => {
    const ours = new Set<string>(Object.values(COMMANDS));
    for (const step of manifest().contributes.walkthroughs[0]!.steps) {
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id} completes`);
      for (const event of step.completionEvents!) {
        const command = /^onCommand:(pplNix\..+)$/.exec(event)?.[1];
        if (command !== undefined) assert.ok(ours.has(command), `${step.id}: ${command} is a PPL Nix command`);
        else assert.match(event, /^onCommand:git\.commit$|^onContext:pplNix\.nixFound$/, `${step.id}: ${event}`);
      }
      for (const link of step.description.matchAll(/\(command:(pplNix\.[A-Za-z]+)/g)) assert.ok(ours.has(link[1]!), link[1]);
      const file = step.media.svg ?? step.media.markdown;
      assert.ok(file !== undefined && step.media.image === undefined, `${step.id}: SVG or Markdown media`);
      assert.ok(existsSync(join(repoRoot(), file)), file);
      if (step.media.svg !== undefined) {
        const svg = readFileSync(join(repoRoot(), step.media.svg), 'utf8');
        assert.ok(step.media.altText, `${step.id} has alt text`);
        // Colours come from the theme: CSS variables (with currentColor as fallback), never a fixed colour.
        const fixed = [
          ...svg.matchAll(
            /(?:fill|stroke|color)\s*[:=]\s*"?(#[0-9a-fA-F]{3,8}|rgb\([^)]*\)|(?!none|var|currentColor|transparent)[a-z]+)\b/g,
          ),
        ]
          .map((m) => m[0])
          .filter((m) => !/var\(|currentColor|none|transparent/.test(m));
        assert.deepEqual(fixed, [], `${step.media.svg} uses only theme colours`);
        assert.match(svg, /var\(--vscode-foreground/);
      }
    }
  });
});
