// The picker in narrow windows, as a user sees it: at 800 and 420 px the page never gets wider than
// the webview, no label or description is cut, the preview scrolls inside its own box and the two
// columns stack. Also takes the README's pictures: the picker at a narrow width in a dark theme.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { eventually, openPicker, runCommand, screenshot, session, setColorTheme } from './support';

/** What overflows in the webview: the page's width against the window's, and every text element cut. */
interface Overflow {
  innerWidth: number;
  scrollWidth: number;
  clientWidth: number;
  clipped: string[];
  preview: { right: number; scrollWidth: number; clientWidth: number };
  stacked: boolean;
}

async function measure(view: FrameLocator): Promise<Overflow> {
  return view.locator('body').evaluate(() => {
    const root = document.documentElement;
    const texts = document.querySelectorAll<HTMLElement>(
      'h1, h2, header p, label, legend, .hint, .description, .note, .warning, .error, .status, button, .added-by, code.attr, .badge',
    );
    const clipped = [...texts]
      .filter((element) => element.getClientRects().length > 0)
      .filter((element) => element.scrollWidth > element.clientWidth + 1 || element.getBoundingClientRect().right > root.clientWidth + 0.5)
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}.${element.className} "${(element.textContent ?? '').trim().slice(0, 40)}" ` +
          `(scroll ${element.scrollWidth} > client ${element.clientWidth}, right ${Math.round(element.getBoundingClientRect().right)})`,
      );
    const pre = document.querySelector<HTMLElement>('pre.preview')!;
    const form = document.querySelector('form')!.getBoundingClientRect();
    const aside = document.querySelector('aside')!.getBoundingClientRect();
    return {
      innerWidth: window.innerWidth,
      scrollWidth: root.scrollWidth,
      clientWidth: root.clientWidth,
      clipped,
      preview: { right: pre.getBoundingClientRect().right, scrollWidth: pre.scrollWidth, clientWidth: pre.clientWidth },
      stacked: aside.top >= form.bottom - 1,
    };
  });
}

async function narrowPicker(page: Page, width: number): Promise<FrameLocator> {
  await page.setViewportSize({ width, height: 800 });
  // Only when shown: the palette does not offer these commands otherwise.
  if (await page.locator('.part.sidebar').isVisible()) await runCommand(page, 'View: Close Primary Side Bar').catch(() => undefined);
  if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Hide Panel').catch(() => undefined);
  return openPicker(page);
}

describe('The picker in narrow windows', () => {
  after(async () => {
    const { page } = session();
    await page.setViewportSize({ width: 1280, height: 800 });
    await runCommand(page, 'View: Show Explorer').catch(() => undefined);
  });

  for (const width of [800, 420]) {
    it(`fits a ${width} px window: nothing wider than the page, no text cut, the preview scrolls in its box`, async function () {
      this.timeout(90_000);
      const { page } = session();
      const view = await narrowPicker(page, width);
      await view.getByLabel('nixpkgs').selectOption('fixture');
      await view.getByLabel('Python', { exact: true }).selectOption('3.12');
      await view.getByLabel('Filter packages').fill('');
      for (const name of ['PyMC', 'ArviZ', 'CmdStanPy']) await view.getByRole('checkbox', { name, exact: true }).check();
      const preview = view.getByLabel('Preview of the file');
      await eventually(async () => assert.match((await preview.textContent()) ?? '', /ppl-nix-spec: \{.*cmdstanpy/));
      const measured = await eventually(async () => {
        const m = await measure(view);
        assert.ok(m.innerWidth < width, `the webview is narrower than the window (${m.innerWidth})`);
        assert.ok(m.scrollWidth <= m.clientWidth, `the page is ${m.scrollWidth} px wide in a ${m.clientWidth} px webview`);
        assert.deepEqual(m.clipped, [], 'texts cut');
        return m;
      });
      assert.ok(measured.preview.right <= measured.clientWidth + 0.5, `the preview's box ends at ${measured.preview.right}`);
      assert.ok(measured.preview.scrollWidth > measured.preview.clientWidth, 'the long lines scroll inside the preview');
      assert.ok(measured.stacked, 'the preview is below the form at this width');
      await view.getByRole('heading', { name: 'Create PPL Nix shell' }).scrollIntoViewIfNeeded();
      await screenshot(page, `picker-narrow-${width}`);
    });
  }

  it('looks right at a narrow width in a dark theme (the README pictures)', async function () {
    this.timeout(90_000);
    const { page } = session();
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    for (const width of [800, 420]) {
      const view = await narrowPicker(page, width);
      const m = await measure(view);
      assert.ok(m.scrollWidth <= m.clientWidth, `${m.scrollWidth} > ${m.clientWidth}`);
      assert.deepEqual(m.clipped, []);
      await view.getByRole('heading', { name: 'Create PPL Nix shell' }).scrollIntoViewIfNeeded();
      await page.waitForTimeout(500); // fonts and codicons
      await screenshot(page, `readme-picker-narrow-dark-${width}`);
    }
    // The preview further down, in the same window.
    const view = await narrowPicker(page, 800);
    await view.getByRole('heading', { name: 'Preview' }).scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await screenshot(page, 'readme-picker-narrow-dark-preview');
  });
});
