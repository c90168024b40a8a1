package dev.meshgate.config;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.cloud.config.server.environment.FailedToConstructEnvironmentException;
import org.springframework.cloud.config.server.environment.SearchPathLocator;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;

import java.util.List;
import java.util.Map;

/**
 * Makes the config server's 500 for an environment it cannot build (a document that is not valid
 * YAML) name the broken file, line and problem. The server's own handler answers a bare 500 and its
 * parser message says only "in 'reader'"; an operator who committed the file needs to see which one.
 *
 * <p>The file is located while the failing request is still being handled (its path variables are
 * known there) and the description is carried to the error response in a request attribute.
 */
@Component
class ConfigDocumentErrorAttributes extends DefaultErrorAttributes {

    private static final Logger log = LoggerFactory.getLogger(ConfigDocumentErrorAttributes.class);
    private static final String DIAGNOSIS = ConfigDocumentErrorAttributes.class.getName() + ".diagnosis";
    private static final String APPLICATION = ConfigDocumentErrorAttributes.class.getName() + ".application";

    private final ObjectProvider<SearchPathLocator> locators;

    ConfigDocumentErrorAttributes(ObjectProvider<SearchPathLocator> locators) {
        this.locators = locators;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception failure) {
        if (failure instanceof FailedToConstructEnvironmentException notBuilt) {
            Map<String, String> variables = pathVariables(request);
            String application = variables.getOrDefault("name", "");
            String profiles = variables.getOrDefault("profiles", "default");
            String diagnosis = diagnose(notBuilt, application, profiles, variables.get("label"));
            log.warn("Refusing environment {}/{}: {}", application, profiles, diagnosis);
            request.setAttribute(DIAGNOSIS, diagnosis);
            request.setAttribute(APPLICATION, application);
        }
        return super.resolveException(request, response, handler, failure);
    }

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Map<String, Object> attributes = super.getErrorAttributes(request, options);
        Object diagnosis = request.getAttribute(DIAGNOSIS, RequestAttributes.SCOPE_REQUEST);
        if (diagnosis != null) {
            attributes.put("error", "Invalid configuration document");
            attributes.put("message", diagnosis);
            attributes.put("application", request.getAttribute(APPLICATION, RequestAttributes.SCOPE_REQUEST));
        }
        return attributes;
    }

    private String diagnose(FailedToConstructEnvironmentException failure, String application, String profiles,
            String label) {
        try {
            List<SearchPathLocator> candidates = locators.orderedStream().toList();
            return BrokenDocumentLocator.locate(candidates, application, profiles, label)
                    .map(BrokenDocumentLocator.BrokenDocument::describe)
                    .orElseGet(() -> rootMessage(failure));
        } catch (RuntimeException diagnosisFailed) {
            log.debug("Could not locate the broken document", diagnosisFailed);
            return rootMessage(failure);
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> pathVariables(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        return variables instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of();
    }
}
