import { num } from '@jobstream/platform/config';

/**
 * Trending = Σ weight(kind) · 2^(-age / half-life). Changing the half-life changes the scale of
 * stored scores: rebuild analytics (new ANALYTICS_REDIS_PREFIX and a replay) after changing it.
 */
export const TrendingConfigSpec = {
  ANALYTICS_TRENDING_HALF_LIFE_HOURS: num({ description: 'Half-life of an engagement event in the trending score, in hours', default: 24, min: 0.01, max: 87600 }),
  ANALYTICS_TRENDING_WEIGHT_VIEW: num({ description: 'Trending weight of a posting view', default: 1, min: 0, max: 1000 }),
  ANALYTICS_TRENDING_WEIGHT_APPLY_CLICK: num({ description: 'Trending weight of an apply click', default: 5, min: 0, max: 1000 }),
  ANALYTICS_TRENDING_WEIGHT_SCRAP: num({ description: 'Trending weight of a new bookmark (unscraps weigh nothing)', default: 3, min: 0, max: 1000 }),
  ANALYTICS_TRENDING_WEIGHT_MOCK_APPLY: num({ description: 'Trending weight of a new mock applicant', default: 4, min: 0, max: 1000 }),
};
