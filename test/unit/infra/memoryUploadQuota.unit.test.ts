import { createMemoryUploadQuota } from '../../../infra/uploads/memoryUploadQuota';
import { uploadQuotaContract } from '../../support/contracts/uploadQuotaContract';

uploadQuotaContract('in memory', (limits) => Promise.resolve(createMemoryUploadQuota(limits)));
