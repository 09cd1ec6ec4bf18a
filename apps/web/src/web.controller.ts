import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '@jobstream/platform/logger';
import { ApiClient, ApiError, UpstreamUnavailable, type PostingPage } from './api.client';
import { MAX_REMEMBERED_SCRAPS, SCRAPS_COOKIE, VIEWER_COOKIE, isViewerId, newViewerId, parseCookies, scrapsOf, serializeCookie, withScrap } from './cookies.util';
import type { WebConfig } from './web.config';
import type { Markup } from './views/html';
import { postingPage } from './views/posting.page';
import { applyPage, companyPage, emptyApplyForm, errorPage, receiptPage, searchPage, statusPage, type ApplyForm, type SearchParams } from './views/pages';
import { APP_CONFIG } from '@jobstream/platform/platform.module';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const YEAR = 365 * 24 * 3600;
const MESSAGES: Record<string, string> = {
  scrapped: 'Scrapped: you will find it again under your scraps.',
  unscrapped: 'Removed from your scraps.',
  'mock-applied': 'Mock application counted. Nothing was sent to the company.',
};

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

function send(res: Response, status: number, page: Markup): void {
  res.status(status).type('html').setHeader('cache-control', 'no-store');
  res.send(page.value);
}

/**
 * The job board's pages. Each reads the public read APIs and renders HTML on the server; forms post
 * back here and are relayed to ingest's public routes, then redirect (post/redirect/get), so every
 * page works without JavaScript.
 */
@Controller()
export class WebController {
  constructor(
    private readonly api: ApiClient,
    @Inject(APP_CONFIG) private readonly config: WebConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** The viewer's pseudonymous id from its cookie, set on first visit. */
  private viewer(req: Request, res: Response): string {
    const existing = parseCookies(req.headers.cookie).get(VIEWER_COOKIE);
    if (isViewerId(existing)) return existing;
    const id = newViewerId();
    res.append('set-cookie', serializeCookie(VIEWER_COOKIE, id, { maxAgeSeconds: YEAR }));
    return id;
  }

  private fail(res: Response, err: unknown, what: string): void {
    if (err instanceof ApiError && err.status === 404) return send(res, 404, errorPage(404, 'Not found', `There is no such ${what}.`));
    if (err instanceof ApiError) return send(res, err.status, errorPage(err.status, 'Something is wrong with this request', err.message));
    this.logger.warn({ err: String(err) }, `could not render the ${what}`);
    return send(res, 503, errorPage(503, 'Temporarily unavailable', 'The job board could not reach its data just now. Try again in a moment.'));
  }

  @Get()
  home(@Res() res: Response): void {
    res.redirect(302, '/jobs');
  }

  @Get('jobs')
  async search(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const params: SearchParams = {
      q: str(query.q),
      location: str(query.location),
      workplaceType: str(query.workplaceType),
      employmentType: str(query.employmentType),
      skills: str(query.skills),
      sort: str(query.sort) === 'trending' ? 'trending' : '',
      cursor: str(query.cursor),
    };
    const apiQuery = Object.fromEntries(Object.entries({ ...params, limit: '20' }).filter(([, v]) => v !== ''));
    try {
      return send(res, 200, searchPage(params, await this.api.search(apiQuery, req.ip)));
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) return send(res, 400, searchPage(params, null, err.message));
      return this.fail(res, err, 'search');
    }
  }

  @Get('jobs/:id')
  async posting(@Param('id') id: string, @Query('done') done: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!ID.test(id)) return send(res, 404, errorPage(404, 'Not found', 'There is no such posting.'));
    const viewerId = this.viewer(req, res);
    let page: PostingPage;
    try {
      page = await this.api.posting(id);
    } catch (err) {
      return this.fail(res, err, 'posting');
    }
    // Opening the page counts a view, through ingest's public route like any client; the page
    // does not wait for it (the counters shown are the read model's, as of before this view).
    if (done === undefined) {
      this.api.engage(id, 'views', viewerId, req.ip).catch((err: unknown) => this.logger.warn({ err: String(err), postingId: id }, 'view not counted'));
    }
    const optional = <T>(p: Promise<T>): Promise<T | null> => p.catch(() => null);
    const [jsonLd, trendingCompanies, trendingPostings] = await Promise.all([optional(this.api.jsonLd(id)), optional(this.api.trendingCompanies(5)), optional(this.api.trendingPostings(5))]);
    const canonicalUrl = `${this.config.WEB_PUBLIC_URL}/jobs/${encodeURIComponent(id)}`;
    const scrapped = scrapsOf(parseCookies(req.headers.cookie).get(SCRAPS_COOKIE)).includes(id);
    return send(res, 200, postingPage({ page, jsonLd: jsonLd ? { ...jsonLd, url: canonicalUrl } : null, trendingCompanies, trendingPostings, canonicalUrl, message: done ? MESSAGES[done] : undefined, scrapped }));
  }

  /** Scrap or unscrap (a form post); JS callers get JSON instead of the redirect. */
  @Post('jobs/:id/scrap')
  async scrap(@Param('id') id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!ID.test(id)) return send(res, 404, errorPage(404, 'Not found', 'There is no such posting.'));
    const viewerId = this.viewer(req, res);
    const unscrap = str(body?.intent) === 'unscrap';
    try {
      if (unscrap) await this.api.unscrap(id, viewerId);
      else await this.api.engage(id, 'scraps', viewerId, req.ip);
    } catch (err) {
      return this.fail(res, err, 'posting');
    }
    const list = withScrap(scrapsOf(parseCookies(req.headers.cookie).get(SCRAPS_COOKIE)), id, !unscrap);
    res.append('set-cookie', serializeCookie(SCRAPS_COOKIE, list.slice(0, MAX_REMEMBERED_SCRAPS).join(','), { maxAgeSeconds: YEAR }));
    return this.done(req, res, id, unscrap ? 'unscrapped' : 'scrapped', { scrapped: !unscrap });
  }

  @Post('jobs/:id/mock-apply')
  async mockApply(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!ID.test(id)) return send(res, 404, errorPage(404, 'Not found', 'There is no such posting.'));
    const viewerId = this.viewer(req, res);
    try {
      await this.api.engage(id, 'mock-applications', viewerId, req.ip);
    } catch (err) {
      return this.fail(res, err, 'posting');
    }
    return this.done(req, res, id, 'mock-applied', {});
  }

  private done(req: Request, res: Response, id: string, done: string, extra: Record<string, unknown>): void {
    if ((req.headers.accept ?? '').includes('application/json')) {
      res.status(200).json({ done, message: MESSAGES[done], ...extra });
      return;
    }
    res.redirect(303, `/jobs/${encodeURIComponent(id)}?done=${done}`);
  }

  @Get('jobs/:id/apply')
  async applyForm(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!ID.test(id)) return send(res, 404, errorPage(404, 'Not found', 'There is no such posting.'));
    try {
      const page = await this.api.posting(id);
      // Opening the form is the "apply click" the counters show.
      this.api.engage(id, 'apply-clicks', this.viewer(req, res), req.ip).catch((err: unknown) => this.logger.warn({ err: String(err), postingId: id }, 'apply click not counted'));
      return send(res, 200, applyPage(page, emptyApplyForm));
    } catch (err) {
      return this.fail(res, err, 'posting');
    }
  }

  @Post('jobs/:id/apply')
  async apply(@Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    if (!ID.test(id)) return send(res, 404, errorPage(404, 'Not found', 'There is no such posting.'));
    const form: ApplyForm = { name: str(body?.name), email: str(body?.email), phone: str(body?.phone), resumeUrl: str(body?.resumeUrl), coverNote: str(body?.coverNote) };
    let page: PostingPage | null = null;
    try {
      page = await this.api.posting(id);
    } catch (err) {
      // A posting ingest knows but listings has not projected yet can still take the application.
      if (!(err instanceof ApiError && err.status === 404)) return this.fail(res, err, 'posting');
    }
    const applicant = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== ''));
    try {
      const receipt = await this.api.apply(id, applicant);
      res.append('set-cookie', serializeCookie(`receipt_${receipt.applicationId}`, receipt.receiptToken, { maxAgeSeconds: 30 * 24 * 3600, path: `/applications/${receipt.applicationId}` }));
      return send(res, 202, receiptPage(page, id, receipt));
    } catch (err) {
      if (!(err instanceof ApiError) || !page) {
        if (err instanceof ApiError && err.status === 404) return send(res, 404, errorPage(404, 'Not found', 'There is no such posting.'));
        return this.fail(res, err, 'posting');
      }
      const errors: Partial<Record<keyof ApplyForm, string>> = {};
      for (const issue of err.issues) {
        const field = issue.path.split('/')[1] as keyof ApplyForm | undefined;
        if (field && field in form) errors[field] = `${issue.message}`;
      }
      const problem =
        err.status === 409 ? 'This posting is closed and no longer takes applications.'
        : err.status === 404 ? 'This posting does not exist (any more).'
        : err.status === 429 ? 'Too many requests just now. Wait a minute and send the form again.'
        : err.status === 400 ? 'Please correct the fields marked below.'
        : err.message;
      return send(res, err.status, applyPage(page, form, errors, problem));
    }
  }

  @Get('applications/:id')
  async status(@Param('id') id: string, @Query('token') queryToken: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!ID.test(id)) return send(res, 404, errorPage(404, 'Not found', 'There is no such application.'));
    const token = str(queryToken) || parseCookies(req.headers.cookie).get(`receipt_${id}`);
    if (!token) return send(res, 200, statusPage(id, null, true));
    try {
      return send(res, 200, statusPage(id, await this.api.applicationStatus(id, token), false));
    } catch (err) {
      // Listings answers 404 both before it decided and for a wrong token (it can't tell them apart).
      if (err instanceof ApiError && err.status === 404) return send(res, 200, statusPage(id, null, false));
      if (err instanceof UpstreamUnavailable) return this.fail(res, err, 'application');
      return this.fail(res, err, 'application');
    }
  }

  @Get('companies/:id')
  async company(@Param('id') id: string, @Res() res: Response): Promise<void> {
    if (!ID.test(id)) return send(res, 404, errorPage(404, 'Not found', 'There is no such company.'));
    try {
      return send(res, 200, companyPage(await this.api.company(id)));
    } catch (err) {
      return this.fail(res, err, 'company');
    }
  }
}
