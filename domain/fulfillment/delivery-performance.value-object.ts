// Delivery performance decided by calendar DATE: on time when delivered on or before the estimated delivery date.
import { daysBetweenDates } from '../shared/naive-time.util';

export interface DeliveryPerformance {
  readonly onTime: boolean;
  /** Calendar days after the estimated date; 0 when on time. */
  readonly delayDays: number;
}

/**
 * The estimate has no time of day (midnight) in the source, so times are ignored on both sides:
 * delivered 18:00 on the estimated day is on time; 00:01 the next day is one day late.
 */
export function deliveryPerformance(deliveredAt: string, estimatedDeliveryAt: string): DeliveryPerformance {
  const late = daysBetweenDates(estimatedDeliveryAt, deliveredAt);
  return { onTime: late <= 0, delayDays: Math.max(0, late) };
}
