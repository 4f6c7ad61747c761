import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { GRAPHQL_PATH } from '../graphql-api.constants';
import { PLAYGROUND_ASSETS, playgroundAssetsPath } from './graphiql-page';

/** The playground's scripts and styles, from node_modules, by exact name only (no paths). */
@Controller(playgroundAssetsPath(GRAPHQL_PATH).slice(1))
export class GraphiqlAssetsController {
  @Get(':name')
  serve(@Param('name') name: string, @Res() res: ServerResponse): void {
    const asset = Object.prototype.hasOwnProperty.call(PLAYGROUND_ASSETS, name) ? PLAYGROUND_ASSETS[name] : undefined;
    if (!asset) throw new NotFoundException();
    const body = asset.body();
    res.writeHead(200, {
      'content-type': asset.contentType,
      'content-length': body.length,
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  }
}
