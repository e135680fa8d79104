import { expect, test } from 'vitest';
import { chromiumArgs } from '../../scripts/chromium.ts';

test('the WebGPU launch flags ask for the SwiftShader adapter', () => {
  expect(chromiumArgs('webgpu')).toContain('--use-webgpu-adapter=swiftshader');
  expect(chromiumArgs('none')).not.toContain('--enable-unsafe-webgpu');
});
