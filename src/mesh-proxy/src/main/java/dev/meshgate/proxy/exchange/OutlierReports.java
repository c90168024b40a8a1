package dev.meshgate.proxy.exchange;

import dev.meshgate.core.balance.OutlierDetector;
import dev.meshgate.proxy.http.ProxyError;

import java.util.function.ToIntFunction;

/**
 * How a try's outcome counts for passive outlier detection, the same for every router that balances:
 * a 5xx answer, a reset, a timeout or a failed connect count against the endpoint (a refused
 * connection ejects at once); any other answer ends its run of failures.
 */
public final class OutlierReports {

    private OutlierReports() {
    }

    /**
     * @param endpoints the size of the service's endpoint set, asked only on a failure
     * @return true when this outcome ejected the endpoint
     */
    public static boolean report(OutlierDetector outliers, Destination at, ProxyError error, int status,
            ToIntFunction<String> endpoints) {
        if (at == null || at.service() == null) {
            return false;
        }
        if (error == null && status < 500) {
            outliers.succeeded(at.address().getHostString(), at.address().getPort());
            return false;
        }
        if (error == ProxyError.OVERLOADED) {
            // our own cap, not the endpoint's failure
            return false;
        }
        return outliers.failed(at.service(), at.address().getHostString(), at.address().getPort(),
                endpoints.applyAsInt(at.service()), error == ProxyError.UPSTREAM_CONNECT_REFUSED);
    }
}
