/**
 * The corporate directory (通讯录) of the fake WeCom: members and departments as the self-built app API
 * returns them (/work/shared/wecom-protocol.md §6). Display names are deliberately not unique — two members
 * are called 李四 — so name → userid resolution and its disambiguation are exercised offline.
 */

/** One member, as stored by the fake; user/get returns a subset of these fields (§6). */
export interface DirectoryMember {
  /** 1–64 bytes of [0-9A-Za-z_\-@.], case-insensitive (§6); the fixture uses lower case. */
  readonly userid: string;
  /** Display name (姓名): not an id, not unique (§6). */
  readonly name: string;
  /** 别名; used to tell members with the same name apart. */
  readonly alias: string;
  /** Department ids; the first one is the main department. */
  readonly department: readonly number[];
  readonly position?: string;
  /** Never returned by user/get to self-built apps created after 2022-06-20 (§6); used for webhook mentions. */
  readonly mobile?: string;
  /** The encrypted id a smart robot may report as `from.userid` (§6, openuserid_to_userid). */
  readonly open_userid: string;
  /** 1 for each department in `department` the member leads, else 0. */
  readonly is_leader_in_dept?: readonly number[];
  /** 1 active, 2 disabled, 4 not yet activated, 5 left (WeCom's member status); the fixture is all 1. */
  readonly status?: 1 | 2 | 4 | 5;
}

export interface DirectoryDepartment {
  readonly id: number;
  readonly name: string;
  /** 0 for the root department (id 1). */
  readonly parentid: number;
}

/** Department 1 is WeCom's root department; the others hang below it. */
export const DEFAULT_DEPARTMENTS: readonly DirectoryDepartment[] = [
  { id: 1, name: '示例科技有限公司', parentid: 0 },
  { id: 2, name: '售后服务部', parentid: 1 },
  { id: 3, name: '运维部', parentid: 1 },
];

/**
 * The default staff: the userids of src/local-wecom/local-wecom.ts LOCAL_STAFF (zhangsan, lisi, wangwu,
 * zhaozhuguan) plus a second 李四 (`lisi2`, another department and alias).
 */
export const DEFAULT_DIRECTORY: readonly DirectoryMember[] = [
  {
    userid: 'zhangsan',
    name: '张三',
    alias: 'Zhang San',
    department: [2],
    position: '售后工程师',
    mobile: '13800001111',
    open_userid: 'woAJ2GCAAAzhangsanOpenUserid0001',
    is_leader_in_dept: [0],
    status: 1,
  },
  {
    userid: 'lisi',
    name: '李四',
    alias: '李四(售后)',
    department: [2],
    position: '售后工程师',
    mobile: '13800002222',
    open_userid: 'woAJ2GCAAAlisiOpenUserid00000002',
    is_leader_in_dept: [0],
    status: 1,
  },
  {
    userid: 'lisi2',
    name: '李四',
    alias: '李四(运维)',
    department: [3],
    position: '运维工程师',
    mobile: '13800003333',
    open_userid: 'woAJ2GCAAAlisi2OpenUserid0000003',
    is_leader_in_dept: [0],
    status: 1,
  },
  {
    userid: 'wangwu',
    name: '王五',
    alias: 'Wang Wu',
    department: [3],
    position: '运维工程师',
    mobile: '13800004444',
    open_userid: 'woAJ2GCAAAwangwuOpenUserid000004',
    is_leader_in_dept: [0],
    status: 1,
  },
  {
    userid: 'zhaozhuguan',
    name: '赵主管',
    alias: 'Zhao',
    department: [2, 3],
    position: '售后主管',
    mobile: '13800005555',
    open_userid: 'woAJ2GCAAAzhaozhuguanOpenUserid5',
    is_leader_in_dept: [1, 1],
    status: 1,
  },
];

/** Members whose display name or alias equals `nameOrAlias` — more than one means the caller must disambiguate. */
export function membersNamed(directory: readonly DirectoryMember[], nameOrAlias: string): DirectoryMember[] {
  return directory.filter((member) => member.name === nameOrAlias || member.alias === nameOrAlias);
}
