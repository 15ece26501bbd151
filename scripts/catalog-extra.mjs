// Facts about scopes found after ../shared/catalog was assembled, each with the page it came from.
// Read by scripts/build-catalog.mjs. Add a fact only with its source; never a guess.
const SENSITIVE_EN = 'https://help.dingtalk.io/open/development/use-sensitive-permissions';

/** Official English scope names (DingTalk's international doc site prints them beside the code). */
export const SCOPE_NAMES_EN = [
  { code: 'qyapi_base', en: 'The basic permission required to call enterprise APIs', source: 'https://help.dingtalk.io/open/development/obtain-corpsecret-authorization-scope' },
  { code: 'qyapi_manage_addresslist', en: 'Contacts data management permission', source: SENSITIVE_EN },
  { code: 'Notable.Base.Read', en: 'DingTalk AI Table read permission', source: SENSITIVE_EN },
  { code: 'Notable.Base.Write', en: 'DingTalk AI Table write permission', source: SENSITIVE_EN },
];
