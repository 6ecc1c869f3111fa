// zh-CN first, English second. The locale lives in a cookie (docs/decisions/0005-locale-cookie.md).
import { useRouteLoaderData } from '@remix-run/react';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const messages = {
  'site.name': ['山海集', 'Shanhai Market'],
  'site.tagline': ['东西部协作 · 消费帮扶好物', 'East–West cooperation · goods that help'],
  'nav.home': ['首页', 'Home'],
  'nav.skip': ['跳到正文', 'Skip to content'],
  'nav.places': ['按产地', 'By place'],
  'nav.pairings': ['按结对', 'By pairing'],
  'nav.categories': ['按品类', 'By category'],
  'nav.login': ['登录', 'Log in'],
  'nav.signup': ['注册', 'Sign up'],
  'nav.logout': ['退出', 'Log out'],
  'nav.account': ['我的账户', 'My account'],
  'nav.console': ['协作办后台', 'Console'],
  'nav.finance': ['财务', 'Finance'],
  'nav.switchLanguage': ['English', '中文'],
  'home.featured': ['认定帮扶好物', 'Certified assistance goods'],
  'home.byPairing': ['按结对浏览', 'Browse by pairing'],
  'home.byPlace': ['按产地浏览', 'Browse by place of origin'],
  'home.byCategory': ['按品类浏览', 'Browse by category'],
  'home.hero': ['买西部好物，助山海同心', 'Buy from the west, help the pairing grow'],
  'home.heroSub': ['每一笔已付款订单都计入产地所在结对的消费帮扶总额', 'Every paid order counts towards its origin pairing’s assistance total'],
  'product.origin': ['产地', 'Origin'],
  'product.pairing': ['结对关系', 'Pairing'],
  'product.seller': ['商家', 'Seller'],
  'product.variants': ['规格', 'Specification'],
  'product.stock': ['库存', 'In stock'],
  'product.outOfStock': ['暂时缺货', 'Out of stock'],
  'product.certified': ['消费帮扶产品认定', 'Certified assistance product'],
  'product.certificateExpired': ['认定已过期', 'Certificate expired'],
  'product.validUntil': ['有效期至', 'Valid until'],
  'product.issuer': ['认定机构', 'Issued by'],
  'product.kindLabel': ['统计类别', 'Statistics kind'],
  'product.kind.AGRI_LIVESTOCK': ['农畜牧产品', 'Agricultural & livestock product'],
  'product.kind.HANDICRAFT': ['特色手工艺产品', 'Specialty handicraft'],
  'product.sold': ['已售', 'sold'],
  'product.from': ['起', 'from'],
  'list.empty': ['暂无商品', 'No goods yet'],
  'list.count': ['件商品', 'goods'],
  'list.prev': ['上一页', 'Previous'],
  'list.next': ['下一页', 'Next'],
  'place.goods': ['产自此地的商品', 'Goods from here'],
  'place.pairings': ['结对关系', 'Pairings'],
  'place.children': ['下辖地区', 'Divisions'],
  'pairing.groups': ['组团结对', 'Group pairings'],
  'pairing.parent': ['所属结对', 'Part of'],
  'pairing.since': ['结对起始', 'Paired since'],
  'pairing.east': ['东部', 'East'],
  'pairing.west': ['西部', 'West'],
  'programme.EAST_WEST': ['东西部协作', 'East–West cooperation'],
  'programme.IN_PROVINCE': ['省内对口帮扶', 'In-province paired assistance'],
  'programme.GUANGDONG_GUANGXI': ['粤桂协作', 'Guangdong–Guangxi cooperation'],
  'auth.email': ['邮箱', 'Email'],
  'auth.password': ['密码', 'Password'],
  'auth.confirmPassword': ['确认密码', 'Confirm password'],
  'auth.name': ['姓名', 'Name'],
  'auth.login': ['登录', 'Log in'],
  'auth.signup': ['注册账户', 'Create account'],
  'auth.noAccount': ['还没有账户？', 'No account yet?'],
  'auth.haveAccount': ['已有账户？', 'Already registered?'],
  'auth.invalid': ['邮箱或密码不正确', 'Email or password is incorrect'],
  'auth.tooMany': ['尝试次数过多，请稍后再试', 'Too many attempts, please try again later'],
  'auth.emailTaken': ['该邮箱已注册', 'That email is already registered'],
  'account.title': ['我的账户', 'My account'],
  'account.roles': ['角色', 'Roles'],
  'account.organisations': ['所属单位', 'Organisations'],
  'account.sellers': ['所属商家', 'Sellers'],
  'account.scopes': ['负责的结对', 'Pairings in your scope'],
  'account.permissions': ['权限', 'Permissions'],
  'error.notFound': ['页面不存在', 'Page not found'],
  'error.notFoundBody': ['您要找的页面不存在或已下架。', 'The page you are looking for does not exist or has been removed.'],
  'error.server': ['服务器出错了', 'Something went wrong'],
  'error.serverBody': ['请稍后重试。', 'Please try again in a moment.'],
  'error.unavailable': ['服务暂时不可用', 'Temporarily unavailable'],
  'error.unavailableBody': ['数据库正在恢复，请几秒后刷新页面。', 'The database is coming back; please reload in a few seconds.'],
  'error.badRequest': ['请求有误', 'Bad request'],
  'error.forbidden': ['没有权限', 'Forbidden'],
  'error.backHome': ['返回首页', 'Back to the home page'],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof messages;

export function isLocale(v: unknown): v is Locale {
  return v === 'zh-CN' || v === 'en';
}

export function translate(locale: Locale, key: MessageKey): string {
  const m = messages[key];
  return locale === 'en' ? m[1] : m[0];
}

/** Picks the zh or en variant of a bilingual record field, falling back to zh. */
export function pick(locale: Locale, zh: string, en: string | null | undefined) {
  return locale === 'en' && en ? en : zh;
}

export function useLocale(): Locale {
  const data = useRouteLoaderData('root') as { locale?: Locale } | undefined;
  return data?.locale ?? DEFAULT_LOCALE;
}

/** For feature strings that are not shared: tr('中文', 'English'). */
export function useTr() {
  const locale = useLocale();
  return (zh: string, en: string) => (locale === 'en' ? en : zh);
}

export function useT() {
  const locale = useLocale();
  return (key: MessageKey) => translate(locale, key);
}
