package dev.ttscluster.gateway.tenants;

/**
 * What one API key may do: a request rate (a token bucket refilled at {@code ratePerSecond} holding at
 * most {@code burst} requests) and how many of its jobs and books may be queued or running at once.
 * A field of 0 means "the gateway's default".
 *
 * @param ratePerSecond sustained requests per second, 0 for the default
 * @param burst requests allowed at once after a quiet period, 0 for the default
 * @param maxActiveJobs jobs and books queued or running at once, 0 for the default
 */
public record Quota(double ratePerSecond, int burst, int maxActiveJobs) {
    /** Every field taken from the gateway's defaults. */
    public static final Quota DEFAULTS = new Quota(0, 0, 0);

    /** @throws IllegalArgumentException when a field is negative or not finite */
    public Quota {
        if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond) || burst < 0 || maxActiveJobs < 0) {
            throw new IllegalArgumentException(
                    "quota fields must be finite and >= 0: " + ratePerSecond + ", " + burst + ", " + maxActiveJobs);
        }
    }

    /** This quota with each unset (0) field taken from {@code defaults}. */
    public Quota orElse(Quota defaults) {
        return new Quota(
                ratePerSecond > 0 ? ratePerSecond : defaults.ratePerSecond,
                burst > 0 ? burst : defaults.burst,
                maxActiveJobs > 0 ? maxActiveJobs : defaults.maxActiveJobs);
    }
}
