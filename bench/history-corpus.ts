/**
 * Realistic Chinese after-sales problem texts for npm run bench:history: problem families (one
 * kind of problem, said six ways), the products they happen to, what customers say around them.
 * Every ticket knows its family, so a search's hits can be judged: a hit of the same family is
 * relevant. The last wording of each family never appears in the stored tickets, only in queries,
 * so part of the judged queries are true paraphrases, not repeats.
 */

/** One kind of problem; `wordings[0..4]` are stored, `wordings[5]` is only ever asked. */
export interface ProblemFamily {
  readonly name: string;
  readonly wordings: readonly [string, string, string, string, string, string];
}

export const FAMILIES: readonly ProblemFamily[] = [
  { name: 'login', wordings: ['无法登录系统', '登录不上去', '输入密码后登录失败', '登陆一直提示密码错误', '账号登录不了', '登录页面进不去'] },
  { name: 'export', wordings: ['无法导出数据', '导出报表失败', '数据导不出来', '点击导出没有反应', '导出Excel时报错', '导出的文件打不开'] },
  { name: 'server', wordings: ['服务器无法连接', '连不上服务器', '服务器连接超时', '访问服务器一直超时', '远程连接服务器失败', '服务器连接不上了'] },
  { name: 'printer', wordings: ['打印机无法打印', '打印没反应', '打印出来是空白页', '打印任务一直卡住', '打印机显示脱机', '打印机打不出东西'] },
  { name: 'slow-network', wordings: ['网络很慢', '网速特别慢', '上网卡顿严重', '网页打开很慢', '网络延迟很高', '网络速度太慢了'] },
  { name: 'invoice', wordings: ['发票开不出来', '开具发票失败', '电子发票无法生成', '开票时提示税号错误', '发票打印错位', '开发票一直报错'] },
  { name: 'payment', wordings: ['扫码支付失败', '付款后订单未到账', '支付页面一直转圈', '微信支付报错', '收款码无法使用', '顾客付款不成功'] },
  { name: 'data-loss', wordings: ['数据丢失了', '昨天录入的数据不见了', '记录被清空', '保存后数据消失', '历史数据查不到', '之前的数据全没了'] },
  { name: 'sync', wordings: ['数据不同步', '同步失败', '两台设备数据不一致', '手机端和电脑端不同步', '同步一直卡在百分之九十', '数据同步不过来'] },
  { name: 'mail', wordings: ['收不到邮件', '邮件发送失败', '邮箱无法接收外部邮件', '发出的邮件被退回', '邮件一直停在发件箱', '邮件发不出去'] },
  { name: 'crash', wordings: ['软件闪退', '打开就崩溃', '程序自动退出', '应用一点就闪退', '运行一会儿就崩了', '软件老是闪退'] },
  { name: 'upgrade', wordings: ['升级后无法启动', '更新版本后打不开', '系统升级失败', '安装更新包报错', '升级到新版本后功能异常', '版本更新以后启动不了'] },
  { name: 'permission', wordings: ['没有权限访问', '提示权限不足', '账号权限被取消', '无法访问共享文件夹', '管理员权限丢失', '访问时说没有权限'] },
  { name: 'camera', wordings: ['监控画面黑屏', '摄像头没有画面', '监控录像回放不了', '摄像头显示离线', '监控画面卡顿', '监控看不到画面'] },
  { name: 'door', wordings: ['门禁刷卡没反应', '刷卡开不了门', '人脸识别门禁识别失败', '门禁一直报警', '门禁卡失效', '门禁打不开'] },
  { name: 'sms-code', wordings: ['收不到验证码', '短信验证码不发送', '验证码一直提示过期', '手机收不到短信', '获取验证码失败', '验证码短信没收到'] },
  { name: 'report-figures', wordings: ['报表数据不对', '统计金额计算错误', '月报数字和实际不符', '报表合计有误', '库存数量显示错误', '报表上的数算错了'] },
  { name: 'vpn', wordings: ['VPN连不上', 'VPN拨号失败', '在家无法连接公司VPN', 'VPN连接后马上断开', 'VPN提示证书错误', 'VPN一直连接不成功'] },
  { name: 'scanner', wordings: ['扫码枪扫不出', '扫描条码没反应', '扫码枪识别错误', '条码扫描后乱码', '扫码枪连接不上电脑', '扫码枪扫了没反应'] },
  { name: 'disk-full', wordings: ['磁盘空间不足', '硬盘满了', '服务器存储空间告警', 'C盘空间不够', '数据库磁盘占满', '硬盘空间快用完了'] },
  { name: 'garbled', wordings: ['中文显示乱码', '导入文件后出现乱码', '页面文字变成问号', '报表中文乱码', '名字显示成方块', '汉字显示成乱码'] },
  { name: 'password-reset', wordings: ['忘记密码', '需要重置密码', '密码找回失败', '修改密码后仍然提示旧密码', '密码过期无法修改', '密码忘了要重置'] },
  { name: 'bluescreen', wordings: ['电脑蓝屏', '开机蓝屏重启', '系统频繁蓝屏', '运行软件时蓝屏', '死机后无法开机', '电脑老是蓝屏'] },
  { name: 'mini-program', wordings: ['小程序打不开', '小程序白屏', '小程序加载很慢', '小程序页面报错', '小程序无法授权登录', '小程序进不去'] },
  { name: 'orders', wordings: ['订单状态不更新', '订单一直显示待发货', '提交订单失败', '订单重复生成', '订单金额不对', '下单提交不了'] },
  { name: 'api', wordings: ['接口调用失败', '接口返回500错误', '接口响应超时', '对接接口报错', '接口返回数据为空', '调用接口一直出错'] },
  { name: 'attendance', wordings: ['考勤打卡失败', '打卡记录缺失', '考勤机无法同步', '外勤打卡定位不准', '考勤统计有误', '上班打不了卡'] },
  { name: 'audio', wordings: ['会议没有声音', '麦克风没声音', '视频会议对方听不到', '音箱有杂音', '通话声音断断续续', '开会听不到声音'] },
  { name: 'backup', wordings: ['备份失败', '自动备份没有执行', '备份文件无法恢复', '数据恢复报错', '备份任务中断', '备份没有成功'] },
  { name: 'certificate', wordings: ['SSL证书过期', '网站提示不安全', '证书错误无法访问', 'HTTPS访问报错', '证书续期失败', '证书到期了访问不了'] },
];

export const PRODUCTS = [
  'ERP系统', '财务软件', '云服务器', '门店收银机', '监控系统', '门禁系统', 'OA办公系统', '企业邮箱', '会员小程序', '仓储管理系统',
  '考勤机', '视频会议系统', '官网', 'CRM系统', '打印机', '扫码枪', '路由器', '数据库服务器', '电子发票平台', '移动App',
];

const OPENINGS = ['', '', '今天上午开始', '客户反馈', '从昨天下午起', '重启电脑后', '多个同事都说', '刚才', '这周一直', '新来的同事', '门店反映', '总部那边'];
const DETAILS = [
  '重启后还是不行。', '影响正常营业，请尽快处理。', '已经尝试清除缓存。', '联系人在门店，下午都在。', '上周也出现过一次。', '只有这一台电脑有问题。',
  '换了网络也一样。', '截图已经发到群里了。', '客户比较着急。', '月底结账要用。', '别的功能正常。', '所有账号都这样。',
];

/** A deterministic pseudo-random source (mulberry32), so every run stores the same texts. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ProblemText {
  readonly family: number;
  readonly product: string;
  readonly title: string;
  readonly description: string;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/**
 * One ticket's problem: a product, a family, one of its wordings (the asked-only one when
 * `asked`), said the way people write tickets: a short title, a description with context.
 */
export function problemText(random: () => number, options: { asked?: boolean } = {}): ProblemText {
  const family = Math.floor(random() * FAMILIES.length);
  const wordings = FAMILIES[family]!.wordings;
  const wording = options.asked && random() < 0.5 ? wordings[5] : wordings[Math.floor(random() * 5)]!;
  const product = pick(random, PRODUCTS);
  const code = random() < 0.2 ? `错误代码E${100 + Math.floor(random() * 900)}。` : '';
  return {
    family,
    product,
    title: random() < 0.5 ? `${product}${wording}` : wording,
    description: `${pick(random, OPENINGS)}${product}${wording}，${pick(random, DETAILS)}${code}`,
  };
}
