import { Test } from '@nestjs/testing';
import { LEGACY_ALIAS_RESOLVER } from '@libs/conversations';
import { LEGACY_SYSTEM } from './domain/legacy-system.port';
import { HttpLegacySystem } from './infrastructure/http/http-legacy-system.adapter';
import { LegacySystemAliasResolver } from './infrastructure/legacy-system-alias-resolver';
import { LegacyBridgeModule } from './legacy-bridge.module';

describe('LegacyBridgeModule', () => {
  it('binds nothing when LEGACY_SYSTEM_URL is unset', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [LegacyBridgeModule.forRootAsync({ useFactory: () => ({}) })] }).compile();
    expect(moduleRef.get(LEGACY_SYSTEM)).toBeNull();
    expect(moduleRef.get(LEGACY_ALIAS_RESOLVER)).toBeNull();
  });

  it('binds the HTTP adapter and the alias resolver when it is set', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [LegacyBridgeModule.forRootAsync({ useFactory: () => ({ LEGACY_SYSTEM_URL: 'http://legacy.test/bridge', LEGACY_SYSTEM_TIMEOUT_MS: 100 }) })],
    }).compile();
    expect(moduleRef.get(LEGACY_SYSTEM)).toBeInstanceOf(HttpLegacySystem);
    expect(moduleRef.get(LEGACY_ALIAS_RESOLVER)).toBeInstanceOf(LegacySystemAliasResolver);
  });

  it('refuses a URL that is not http(s)', async () => {
    await expect(
      Test.createTestingModule({ imports: [LegacyBridgeModule.forRootAsync({ useFactory: () => ({ LEGACY_SYSTEM_URL: 'ftp://legacy' }) })] }).compile(),
    ).rejects.toThrow('LEGACY_SYSTEM_URL');
  });
});
