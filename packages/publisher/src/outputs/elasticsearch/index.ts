// output.elasticsearch: bulk indexing over a list of nodes.
import { templateConfigSchema } from '../../config';
import { defineOutput } from '../define';
import { ElasticsearchOutput } from './output';
import { elasticsearchOutputSchema } from './schema';
import { testElasticsearch } from './test-connection';

export { elasticsearchOutputSchema, type ElasticsearchOutputConfig } from './schema';

/** The Elasticsearch output's definition. */
export const elasticsearchOutput = defineOutput({
  name: 'elasticsearch',
  schema: elasticsearchOutputSchema,
  create: (cfg, ctx) => new ElasticsearchOutput(cfg, ctx, templateConfigSchema.parse(ctx.template ?? {})),
  test: (cfg) => testElasticsearch(cfg),
});
