package dev.meshgate.controlplane;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * {@code mesh.config-server.*}: where the config server is and how often to try it again when it was
 * not reached. The URL is the one {@code spring.config.import} uses, so both must default alike.
 *
 * @param url           the config server, e.g. {@code http://127.0.0.1:8888}
 * @param retryInterval how often to probe a config server that was not reached
 * @param watch         {@code watch.enabled=false} stops the retries; the configServer health component then says it is not watched
 */
@ConfigurationProperties("mesh.config-server")
public record ConfigServerProperties(
        @DefaultValue(ConfigServerProperties.DEFAULT_URL) String url,
        @DefaultValue("5s") Duration retryInterval,
        @DefaultValue Watch watch) {

    /** Same default as every application's {@code optional:configserver:${mesh.config-server.url:...}}. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8888";

    public ConfigServerProperties {
        if (url == null || !isHttpUrl(url)) {
            throw new IllegalArgumentException("mesh.config-server.url must be an absolute http or https URL, was '" + url + "'");
        }
        if (retryInterval == null || retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("mesh.config-server.retry-interval must be positive, was " + retryInterval);
        }
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        watch = watch == null ? new Watch(true) : watch;
    }

    private static boolean isHttpUrl(String candidate) {
        try {
            URI uri = URI.create(candidate);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException notAUri) {
            return false;
        }
    }

    /** @param enabled whether the config server is watched: reported on and retried */
    public record Watch(@DefaultValue("true") boolean enabled) {
    }
}
