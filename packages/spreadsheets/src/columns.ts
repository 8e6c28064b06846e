/**
 * The documented column mapping of each import type (docs/IMPORT.md): for every row input field of
 * the batch mutation, its Thai template header, its English header (snake_case, as the export writes
 * it; the GraphQL field name matches too) and the other headers offices use. Enum values are accepted
 * by code or by the Thai labels listed here.
 */
import { headerKey } from './text.ts';

export type ImportTypeName = 'agencies' | 'people' | 'activities' | 'recognitions';
export const IMPORT_TYPES: readonly ImportTypeName[] = ['agencies', 'people', 'activities', 'recognitions'];

/** Enum codes with the Thai labels accepted for them (the first is the one templates show). */
export type EnumLabels = Record<string, readonly string[]>;

export const AGENCY_KINDS: EnumLabels = {
  GOVERNMENT_OFFICE: ['ส่วนราชการ', 'หน่วยงานราชการ', 'สำนักงานราชการ', 'หน่วยงานภาครัฐ'],
  LOCAL_GOVERNMENT: ['องค์กรปกครองส่วนท้องถิ่น', 'อปท', 'เทศบาล', 'อบต', 'อบจ'],
  PUBLIC_ORGANIZATION: ['องค์การมหาชน', 'รัฐวิสาหกิจ'],
  RELIGIOUS_ORGANIZATION: ['องค์กรศาสนา', 'ศาสนสถาน', 'วัด', 'มัสยิด', 'โบสถ์'],
  SCHOOL: ['โรงเรียน', 'สถานศึกษา'],
  UNIVERSITY: ['มหาวิทยาลัย', 'สถาบันอุดมศึกษา', 'วิทยาลัย'],
  MEDIA: ['สื่อมวลชน', 'สื่อ'],
  COMPANY: ['บริษัท', 'ภาคธุรกิจ', 'ห้างร้าน', 'เอกชน'],
  CIVIL_SOCIETY_GROUP: ['ภาคประชาสังคม', 'ประชาสังคม', 'มูลนิธิ', 'สมาคม', 'ชมรม'],
  COMMUNITY_ORGANIZATION: ['องค์กรชุมชน', 'กลุ่มองค์กรชุมชน'],
  COMMUNITY: ['ชุมชน', 'หมู่บ้าน'],
  FARMER_GROUP: ['กลุ่มเกษตรกร', 'วิสาหกิจชุมชน', 'วิสาหกิจชุมชนเกษตร'],
  OTHER: ['อื่น ๆ', 'อื่นๆ'],
};

export const ACTIVITY_KINDS: EnumLabels = {
  CONSULTATION_MEETING: ['ประชุมหารือ', 'ประชุม'],
  MORAL_ASSEMBLY: ['สมัชชาคุณธรรม', 'สมัชชา'],
  MORAL_MARKET: ['ตลาดนัดคุณธรรม'],
  TRAINING: ['อบรมวิทยากร/ผู้ขับเคลื่อนคุณธรรม', 'อบรม', 'อบรมวิทยากร'],
  MONITORING_VISIT: ['ติดตามเสริมพลัง', 'ติดตาม'],
  LESSON_EXTRACTION: ['ถอดบทเรียนชุมชน/องค์กรต้นแบบ', 'ถอดบทเรียน'],
  ACADEMIC_COLLABORATION: ['บูรณาการวิชาการกับสถาบันอุดมศึกษา', 'บูรณาการวิชาการ'],
  CAMPAIGN: ['รณรงค์'],
  OTHER: ['อื่น ๆ', 'อื่นๆ'],
};

export const VIRTUES: EnumLabels = {
  SUFFICIENCY: ['พอเพียง', 'ความพอเพียง'],
  DISCIPLINE: ['วินัย', 'มีวินัย', 'ความมีวินัย'],
  HONESTY: ['สุจริต', 'ซื่อสัตย์สุจริต', 'ความสุจริต'],
  VOLUNTEERISM: ['จิตอาสา', 'มีจิตอาสา'],
  GRATITUDE: ['กตัญญู', 'กตัญญูกตเวที', 'ความกตัญญู'],
};

export const RECOGNITION_PROGRAMMES: EnumLabels = {
  MORAL_UNIT_ASSESSMENT: ['ประเมินหน่วยคุณธรรม', 'การประเมินชุมชน/องค์กร/อำเภอ/จังหวัดคุณธรรม', 'ประเมิน'],
  VIRTUE_HONOUR: ['ยกย่องเชิดชูเกียรติ', 'เชิดชูเกียรติ', 'ต้นแบบคุณธรรม'],
  MORAL_AWARD: ['รางวัลคุณธรรม', 'Moral Awards'],
};

export const RECOGNITION_LEVELS: EnumLabels = {
  PROMOTING: ['ส่งเสริมคุณธรรม', 'ระดับส่งเสริมคุณธรรม'],
  MORAL: ['คุณธรรม', 'ระดับคุณธรรม'],
  MODEL: ['คุณธรรมต้นแบบ', 'ระดับคุณธรรมต้นแบบ'],
  OUTSTANDING_MODEL: ['ต้นแบบโดดเด่น', 'คุณธรรมต้นแบบโดดเด่น', 'ระดับต้นแบบโดดเด่น'],
};

export const RECOGNITION_SCOPES: EnumLabels = {
  PROVINCIAL: ['ระดับจังหวัด', 'จังหวัด'],
  NATIONAL: ['ระดับชาติ', 'ระดับประเทศ', 'ชาติ'],
};

export const RECIPIENT_KINDS: EnumLabels = {
  AGENCY: ['หน่วยงาน/องค์กร', 'หน่วยงาน', 'องค์กร', 'ชุมชน'],
  PERSON: ['บุคคล'],
  PROVINCE: ['จังหวัด'],
};

/** How a cell becomes the row input's value. */
export type ValueKind =
  | { kind: 'text' }
  | { kind: 'phone' }
  | { kind: 'province' }
  | { kind: 'district' }
  | { kind: 'sector' }
  | { kind: 'enum'; labels: EnumLabels }
  | { kind: 'enumList'; labels: EnumLabels }
  | { kind: 'nameList' }
  | { kind: 'date' }
  | { kind: 'count' }
  | { kind: 'fiscalYear' }
  /** recognitions.recipientNameTh: a name, or a province (by name or code) when the recipient is one. */
  | { kind: 'recipient' };

export interface ColumnSpec {
  /** The row input field of the batch mutation. */
  field: string;
  /** Header of the Thai template row. */
  th: string;
  /** Header of the English template row and of the export (snake_case, no spaces). */
  en: string;
  /** Other headers accepted for this column. */
  aliases?: readonly string[];
  value: ValueKind;
  /** The row input field is non-null: a row without it is rejected before it reaches the API. */
  required?: boolean;
  descriptionTh: string;
  descriptionEn: string;
}

export interface ImportType {
  name: ImportTypeName;
  /** The batch mutation and its input type (docs/IMPORT.md). */
  mutation: string;
  inputType: string;
  columns: readonly ColumnSpec[];
  /** Columns the export writes that the import does not use (ignored without a warning). */
  exportOnly: readonly string[];
  /** The natural key of a converted row (docs/IMPORT.md), to find repeated rows in one file. */
  naturalKey(row: Record<string, unknown>): string;
  naturalKeyTh: string;
}

const text = { kind: 'text' } as const;
const province: ColumnSpec = {
  field: 'provinceCode',
  th: 'จังหวัด',
  en: 'province_code',
  aliases: ['รหัสจังหวัด', 'ชื่อจังหวัด', 'province', 'จังหวัด (รหัสหรือชื่อ)'],
  value: { kind: 'province' },
  descriptionTh: 'ชื่อจังหวัด (มีหรือไม่มีคำว่า "จังหวัด") หรือรหัส TH-14 / 14; ว่างได้เมื่อใช้ --province',
  descriptionEn: 'Province: Thai name (with or without จังหวัด) or code TH-14 / 14; empty takes --province',
};
const district: ColumnSpec = {
  field: 'districtCode',
  th: 'อำเภอ/เขต',
  en: 'district_code',
  aliases: ['อำเภอ', 'เขต', 'รหัสอำเภอ', 'ชื่ออำเภอ', 'district'],
  value: { kind: 'district' },
  descriptionTh: 'ชื่ออำเภอ/เขต (มีหรือไม่มีคำว่า "อำเภอ", "อ.", "เขต") หรือรหัส 4 หลัก',
  descriptionEn: 'District: Thai name (with or without อำเภอ/อ./เขต) or four-digit DOPA code',
};

const key = (...parts: unknown[]) => parts.map((p) => String(p ?? '')).join('|');

export const AGENCIES: ImportType = {
  name: 'agencies',
  mutation: 'importAgencies',
  inputType: 'ImportAgenciesInput',
  naturalKeyTh: 'จังหวัด + ชื่อหน่วยงาน',
  naturalKey: (r) => key(r.provinceCode, r.nameTh),
  exportOnly: ['agency_id', 'province_name_th', 'district_name_th', 'sector_name_th', 'source_kind', 'synthetic'],
  columns: [
    {
      field: 'nameTh',
      th: 'ชื่อหน่วยงาน',
      en: 'name_th',
      aliases: ['ชื่อหน่วยงาน/องค์กร', 'ชื่อองค์กร', 'หน่วยงาน', 'ชื่อหน่วยงาน (ภาษาไทย)', 'name'],
      value: text,
      required: true,
      descriptionTh: 'ชื่อหน่วยงานภาษาไทย (จำเป็น)',
      descriptionEn: 'Thai name of the agency (required)',
    },
    {
      field: 'nameEn',
      th: 'ชื่อภาษาอังกฤษ',
      en: 'name_en',
      aliases: ['ชื่อหน่วยงาน (ภาษาอังกฤษ)', 'ชื่ออังกฤษ'],
      value: text,
      descriptionTh: 'ชื่อหน่วยงานภาษาอังกฤษ',
      descriptionEn: 'English name of the agency',
    },
    {
      field: 'kind',
      th: 'ประเภทหน่วยงาน',
      en: 'kind',
      aliases: ['ประเภท', 'ประเภทองค์กร'],
      value: { kind: 'enum', labels: AGENCY_KINDS },
      required: true,
      descriptionTh: 'ประเภทหน่วยงาน (จำเป็น) เช่น ส่วนราชการ โรงเรียน วัด ชุมชน หรือรหัส เช่น SCHOOL',
      descriptionEn: 'Kind of agency (required): code (e.g. SCHOOL) or Thai label',
    },
    province,
    district,
    {
      field: 'sectorCode',
      th: 'ภาคีเครือข่าย',
      en: 'sector_code',
      aliases: ['เครือข่าย', 'ภาคส่วน', 'ภาค', 'sector', 'ภาคีเครือข่าย (ภาคส่วน)'],
      value: { kind: 'sector' },
      descriptionTh: 'ภาคส่วนของเครือข่าย เช่น ศาสนา ภาคการศึกษา หรือรหัส เช่น RELIGION',
      descriptionEn: 'Network sector: code (e.g. RELIGION) or Thai label',
    },
  ],
};

export const PEOPLE: ImportType = {
  name: 'people',
  mutation: 'importPeople',
  inputType: 'ImportPeopleInput',
  naturalKeyTh: 'จังหวัด + หน่วยงาน + ชื่อ-นามสกุล',
  naturalKey: (r) => key(r.provinceCode, r.agencyNameTh, r.fullNameTh),
  exportOnly: ['person_id'],
  columns: [
    {
      field: 'titleTh',
      th: 'คำนำหน้า',
      en: 'title_th',
      aliases: ['คำนำหน้าชื่อ'],
      value: text,
      descriptionTh: 'คำนำหน้าชื่อ เช่น นาย นาง นางสาว',
      descriptionEn: 'Honorific in Thai',
    },
    {
      field: 'fullNameTh',
      th: 'ชื่อ-นามสกุล',
      en: 'full_name_th',
      aliases: ['ชื่อ-สกุล', 'ชื่อสกุล', 'ชื่อ นามสกุล', 'ชื่อ'],
      value: text,
      required: true,
      descriptionTh: 'ชื่อและนามสกุลภาษาไทย (จำเป็น)',
      descriptionEn: 'Full name in Thai (required)',
    },
    {
      field: 'fullNameEn',
      th: 'ชื่อ-นามสกุล (ภาษาอังกฤษ)',
      en: 'full_name_en',
      aliases: ['ชื่อภาษาอังกฤษ'],
      value: text,
      descriptionTh: 'ชื่อและนามสกุลภาษาอังกฤษ',
      descriptionEn: 'Full name in English',
    },
    {
      field: 'positionTh',
      th: 'ตำแหน่ง',
      en: 'position_th',
      value: text,
      descriptionTh: 'ตำแหน่ง',
      descriptionEn: 'Position (Thai)',
    },
    {
      field: 'agencyNameTh',
      th: 'หน่วยงาน/สังกัด',
      en: 'agency_name_th',
      aliases: ['หน่วยงาน', 'สังกัด', 'ชื่อหน่วยงาน'],
      value: text,
      descriptionTh: 'ชื่อหน่วยงานที่สังกัด (ต้องมีอยู่แล้วในจังหวัดนั้น)',
      descriptionEn: "Thai name of the person's agency (an existing agency of the province)",
    },
    province,
    {
      field: 'phone',
      th: 'โทรศัพท์',
      en: 'phone',
      aliases: ['เบอร์โทร', 'เบอร์โทรศัพท์', 'โทร', 'หมายเลขโทรศัพท์'],
      value: { kind: 'phone' },
      descriptionTh: 'หมายเลขโทรศัพท์ (ข้อมูลส่วนบุคคล: ไม่ถูกส่งออก)',
      descriptionEn: 'Phone number (personal data: never exported)',
    },
    {
      field: 'email',
      th: 'อีเมล',
      en: 'email',
      aliases: ['อีเมล์', 'e-mail', 'ไปรษณีย์อิเล็กทรอนิกส์'],
      value: text,
      descriptionTh: 'อีเมล (ข้อมูลส่วนบุคคล: ไม่ถูกส่งออก)',
      descriptionEn: 'E-mail address (personal data: never exported)',
    },
    {
      field: 'address',
      th: 'ที่อยู่',
      en: 'address',
      aliases: ['ที่อยู่ติดต่อ'],
      value: text,
      descriptionTh: 'ที่อยู่ (ข้อมูลส่วนบุคคล: ไม่ถูกส่งออก)',
      descriptionEn: 'Postal address (personal data: never exported)',
    },
  ],
};

export const ACTIVITIES: ImportType = {
  name: 'activities',
  mutation: 'importActivities',
  inputType: 'ImportActivitiesInput',
  naturalKeyTh: 'จังหวัด + วันที่เริ่ม + ชื่อกิจกรรม',
  naturalKey: (r) => key(r.provinceCode, r.startDate, r.titleTh),
  exportOnly: [
    'activity_id',
    'fiscal_year',
    'province_name_th',
    'district_name_th',
    'participating_agency_count',
    'source_kind',
    'synthetic',
  ],
  columns: [
    {
      field: 'titleTh',
      th: 'ชื่อกิจกรรม',
      en: 'title_th',
      aliases: ['กิจกรรม', 'ชื่อกิจกรรม/โครงการ', 'ชื่อโครงการ'],
      value: text,
      required: true,
      descriptionTh: 'ชื่อกิจกรรมภาษาไทย (จำเป็น)',
      descriptionEn: 'Thai title of the activity (required)',
    },
    {
      field: 'titleEn',
      th: 'ชื่อกิจกรรม (ภาษาอังกฤษ)',
      en: 'title_en',
      value: text,
      descriptionTh: 'ชื่อกิจกรรมภาษาอังกฤษ',
      descriptionEn: 'English title',
    },
    {
      field: 'kind',
      th: 'ประเภทกิจกรรม',
      en: 'kind',
      aliases: ['ประเภท'],
      value: { kind: 'enum', labels: ACTIVITY_KINDS },
      required: true,
      descriptionTh: 'ประเภทกิจกรรม (จำเป็น) เช่น ประชุมหารือ สมัชชาคุณธรรม หรือรหัส',
      descriptionEn: 'Kind of activity (required): code or Thai label',
    },
    {
      field: 'startDate',
      th: 'วันที่เริ่ม',
      en: 'start_date',
      aliases: ['วันที่', 'วันที่จัด', 'วันเริ่มต้น', 'วันที่จัดกิจกรรม'],
      value: { kind: 'date' },
      required: true,
      descriptionTh: 'วันที่เริ่ม (จำเป็น) เช่น 16/12/2564 (พ.ศ.) หรือ 2021-12-16',
      descriptionEn: 'First day (required): 16/12/2564 (BE, d/m/y), 2021-12-16, or an Excel date',
    },
    {
      field: 'endDate',
      th: 'วันที่สิ้นสุด',
      en: 'end_date',
      aliases: ['วันสิ้นสุด'],
      value: { kind: 'date' },
      descriptionTh: 'วันที่สิ้นสุด (ว่าง: กิจกรรมวันเดียว)',
      descriptionEn: 'Last day (empty: a one-day activity)',
    },
    province,
    district,
    {
      field: 'venue',
      th: 'สถานที่',
      en: 'venue',
      aliases: ['สถานที่จัด', 'สถานที่จัดกิจกรรม'],
      value: text,
      descriptionTh: 'สถานที่จัดกิจกรรม',
      descriptionEn: 'Venue',
    },
    {
      field: 'participantCount',
      th: 'จำนวนผู้เข้าร่วม (คน)',
      en: 'participant_count',
      aliases: ['จำนวนผู้เข้าร่วม', 'ผู้เข้าร่วม (คน)'],
      value: { kind: 'count' },
      descriptionTh: 'จำนวนผู้เข้าร่วม (คน)',
      descriptionEn: 'Head count of participants',
    },
    {
      field: 'virtues',
      th: 'คุณธรรมที่ส่งเสริม',
      en: 'virtues',
      aliases: ['คุณธรรมเป้าหมาย', 'คุณธรรม'],
      value: { kind: 'enumList', labels: VIRTUES },
      descriptionTh: 'คุณธรรมที่ส่งเสริม คั่นด้วยจุลภาคหรือเว้นวรรค: พอเพียง วินัย สุจริต จิตอาสา กตัญญู',
      descriptionEn: 'Virtues promoted, separated by commas or spaces: codes or Thai labels',
    },
    {
      field: 'organizerNames',
      th: 'หน่วยงานผู้จัด',
      en: 'organizer_names',
      aliases: ['ผู้จัด', 'หน่วยงานที่จัด'],
      value: { kind: 'nameList' },
      descriptionTh: 'ชื่อหน่วยงานผู้จัด คั่นด้วย ; (ต้องมีอยู่แล้วในจังหวัดหรือระดับชาติ)',
      descriptionEn: 'Organizing agencies by Thai name, separated by ;',
    },
    {
      field: 'participantNames',
      th: 'หน่วยงานที่เข้าร่วม',
      en: 'participant_names',
      aliases: ['หน่วยงานเข้าร่วม'],
      value: { kind: 'nameList' },
      descriptionTh: 'ชื่อหน่วยงานที่เข้าร่วม คั่นด้วย ;',
      descriptionEn: 'Participating agencies by Thai name, separated by ;',
    },
  ],
};

export const RECOGNITIONS: ImportType = {
  name: 'recognitions',
  mutation: 'importRecognitions',
  inputType: 'ImportRecognitionsInput',
  naturalKeyTh: 'โครงการ + ปีงบประมาณ + ผู้ได้รับ + ระดับ + คุณธรรม',
  naturalKey: (r) => key(r.programme, r.fiscalYear, r.recipientKind, r.provinceCode, r.recipientNameTh, r.level, r.virtue),
  exportOnly: ['recognition_id', 'status', 'province_name_th', 'source_kind', 'synthetic'],
  columns: [
    {
      field: 'programme',
      th: 'โครงการ',
      en: 'programme',
      aliases: ['ประเภทการยกย่อง', 'โครงการ/ประเภท'],
      value: { kind: 'enum', labels: RECOGNITION_PROGRAMMES },
      required: true,
      descriptionTh: 'ประเภท (จำเป็น): ประเมินหน่วยคุณธรรม ยกย่องเชิดชูเกียรติ รางวัลคุณธรรม หรือรหัส',
      descriptionEn: 'Programme (required): code or Thai label',
    },
    {
      field: 'level',
      th: 'ระดับ',
      en: 'level',
      value: { kind: 'enum', labels: RECOGNITION_LEVELS },
      descriptionTh: 'ระดับการประเมิน: ส่งเสริมคุณธรรม คุณธรรม คุณธรรมต้นแบบ ต้นแบบโดดเด่น',
      descriptionEn: 'Assessment level: code or Thai label',
    },
    {
      field: 'virtue',
      th: 'คุณธรรม',
      en: 'virtue',
      aliases: ['ด้านคุณธรรม'],
      value: { kind: 'enum', labels: VIRTUES },
      descriptionTh: 'คุณธรรมที่ยกย่อง: พอเพียง วินัย สุจริต จิตอาสา กตัญญู',
      descriptionEn: 'Virtue honoured: code or Thai label',
    },
    {
      field: 'scope',
      th: 'ขอบเขต',
      en: 'scope',
      aliases: ['ระดับการยกย่อง'],
      value: { kind: 'enum', labels: RECOGNITION_SCOPES },
      descriptionTh: 'ระดับจังหวัด หรือ ระดับชาติ',
      descriptionEn: 'PROVINCIAL or NATIONAL',
    },
    {
      field: 'fiscalYear',
      th: 'ปีงบประมาณ',
      en: 'fiscal_year',
      aliases: ['ปีงบประมาณ (พ.ศ.)', 'ปี'],
      value: { kind: 'fiscalYear' },
      required: true,
      descriptionTh: 'ปีงบประมาณ พ.ศ. (จำเป็น) เช่น 2565',
      descriptionEn: 'Fiscal year, Buddhist Era (required), e.g. 2565',
    },
    {
      field: 'titleTh',
      th: 'ชื่อรางวัล',
      en: 'title_th',
      aliases: ['ชื่อการยกย่อง'],
      value: text,
      descriptionTh: 'ชื่อรางวัลหรือการยกย่อง',
      descriptionEn: 'Title in Thai',
    },
    {
      field: 'recipientKind',
      th: 'ประเภทผู้ได้รับ',
      en: 'recipient_kind',
      value: { kind: 'enum', labels: RECIPIENT_KINDS },
      required: true,
      descriptionTh: 'ประเภทผู้ได้รับ (จำเป็น): หน่วยงาน/องค์กร บุคคล จังหวัด',
      descriptionEn: 'Recipient kind (required): AGENCY, PERSON or PROVINCE',
    },
    {
      field: 'recipientNameTh',
      th: 'ชื่อผู้ได้รับ',
      en: 'recipient_name_th',
      aliases: ['ผู้ได้รับ', 'ผู้ได้รับการยกย่อง'],
      value: { kind: 'recipient' },
      required: true,
      descriptionTh: 'ชื่อหน่วยงานหรือบุคคล (ต้องมีอยู่แล้วในจังหวัด) หรือชื่อจังหวัด (จำเป็น)',
      descriptionEn: "Recipient: agency's or person's Thai name in the province, or the province (required)",
    },
    province,
  ],
};

export const TYPES: Record<ImportTypeName, ImportType> = {
  agencies: AGENCIES,
  people: PEOPLE,
  activities: ACTIVITIES,
  recognitions: RECOGNITIONS,
};

/**
 * The importer's own columns in an error file (original row number, reasons): ignored when the error
 * file is imported again.
 */
export const ERROR_COLUMNS = {
  row: { th: 'แถวในไฟล์เดิม', en: 'original_row' },
  reasons: { th: 'เหตุที่ถูกปฏิเสธ', en: 'rejection_reasons' },
} as const;

/** Header lookup of one type: header key → field, and the keys ignored silently. */
export function headerIndex(type: ImportType): { fields: Map<string, ColumnSpec>; ignored: Set<string> } {
  const fields = new Map<string, ColumnSpec>();
  for (const column of type.columns) {
    for (const name of [column.th, column.en, column.field, ...(column.aliases ?? [])]) {
      const k = headerKey(name);
      if (!fields.has(k)) fields.set(k, column);
    }
  }
  const ignored = new Set<string>(
    [...type.exportOnly, ...Object.values(ERROR_COLUMNS).flatMap((c) => [c.th, c.en]), 'ลำดับ', 'ลำดับที่', 'ที่', 'no'].map(headerKey),
  );
  return { fields, ignored };
}

/** An enum value from its code (any case, spaces for underscores) or one of its Thai labels. */
export function enumValue(labels: EnumLabels, value: string): string | undefined {
  const code = value
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (code in labels) return code;
  const k = headerKey(value);
  for (const [c, names] of Object.entries(labels)) if (names.some((n) => headerKey(n) === k)) return c;
  return undefined;
}
