package io.sluice.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.boot.json.JacksonJsonCodec;
import io.sluice.boot.web.annotation.Body;
import io.sluice.boot.web.annotation.ErrorStatus;
import io.sluice.boot.web.annotation.Get;
import io.sluice.boot.web.annotation.Header;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.web.annotation.Post;
import io.sluice.boot.web.annotation.QueryParam;
import io.sluice.boot.web.annotation.SluiceController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.convert.ApplicationConversionService;
import tools.jackson.databind.json.JsonMapper;

/** Endpoints that cannot work are refused when the application starts, with the method named. */
@Timeout(10)
class InvalidEndpointTest {

    private final EndpointFactory factory = new EndpointFactory(ApplicationConversionService.getSharedInstance(),
            new JacksonJsonCodec(JsonMapper.builder().build()));
    private final EndpointFactory withoutJson =
            new EndpointFactory(ApplicationConversionService.getSharedInstance(), null);

    /** A type no String converts to: no String constructor, no valueOf, of or from. */
    static final class Opaque {
        private Opaque() {
        }
    }

    record Payload(String value) {
    }

    @SluiceController
    static class Unannotated {
        @Get("/x")
        String get(String name) {
            return name;
        }
    }

    @SluiceController
    static class UnknownVariable {
        @Get("/users/{id}")
        String get(@PathVar long userId) {
            return "";
        }
    }

    @SluiceController
    static class Unconvertible {
        @Get("/x")
        String get(@QueryParam Opaque opaque) {
            return "";
        }
    }

    @SluiceController
    static class OptionalPrimitive {
        @Get("/x")
        String get(@Header(required = false) int count) {
            return "";
        }
    }

    @SluiceController
    static class BadDefault {
        @Get("/x")
        String get(@QueryParam(defaultValue = "ten") int count) {
            return "";
        }
    }

    @SluiceController("/api/")
    static class BadTemplate {
        @Get("/files//{name}")
        String get(@PathVar String name) {
            return "";
        }
    }

    @SluiceController
    static class TwoBindings {
        @Get("/x")
        String get(@QueryParam @Header String value) {
            return value;
        }
    }

    @SluiceController
    static class JsonBody {
        @Post("/x")
        String post(@Body Payload payload) {
            return "";
        }
    }

    @SluiceController
    static class JsonResult {
        @Get("/x")
        Payload get() {
            return new Payload("");
        }
    }

    @SluiceController
    static class TextOnly {
        @Post("/x")
        byte[] post(@Body String text) {
            return text.getBytes();
        }

        @Get("/reply")
        Reply<String> reply() {
            return Reply.ok("");
        }
    }

    @SluiceController
    static class MappingWithoutExceptions {
        @ErrorStatus(404)
        @Get("/x")
        String get() {
            return "";
        }
    }

    @SluiceController
    static class MappingToSuccess {
        @ErrorStatus(value = 200, exceptions = RuntimeException.class)
        @Get("/x")
        String get() {
            return "";
        }
    }

    @Test
    void parameterWithoutBindingIsRefused() {
        assertRefused(Unannotated.class, "#get(String): parameter 0 (String name): it says nothing about what to bind");
    }

    @Test
    void pathVariableMissingFromTheTemplateIsRefused() {
        assertRefused(UnknownVariable.class, "#get(long): parameter 0 (long userId): @PathVar 'userId' is not a"
                + " variable of /users/{id} (it has [id])");
    }

    @Test
    void typeWithoutConversionIsRefused() {
        assertRefused(Unconvertible.class, "#get(Opaque): parameter 0 (Opaque opaque): no conversion from String to");
    }

    @Test
    void optionalPrimitiveWithoutDefaultIsRefused() {
        assertRefused(OptionalPrimitive.class, "it is optional but primitive, so it cannot be left empty; give it a"
                + " defaultValue, or declare it Integer or Optional<Integer>");
    }

    @Test
    void defaultThatDoesNotConvertIsRefused() {
        assertRefused(BadDefault.class, "its default value 'ten' cannot be converted to int");
    }

    @Test
    void malformedTemplateIsRefusedWithTheEngineReason() {
        assertRefused(BadTemplate.class, "#get(String): Invalid path template '/api/files//{name}': segment 3 is empty");
    }

    @Test
    void parameterWithTwoBindingsIsRefused() {
        assertRefused(TwoBindings.class, "more than one of @PathVar, @QueryParam, @Header and @Body");
    }

    @Test
    void jsonWithoutACodecIsRefusedButTextAndBytesNeedNone() {
        assertThatThrownBy(() -> withoutJson.endpointsOf(new JsonBody(), JsonBody.class))
                .isInstanceOf(InvalidEndpointException.class)
                .hasMessageContaining("#post(Payload): parameter 0 (Payload payload): it reads Payload from JSON, but"
                        + " there is no JsonCodec bean");
        assertThatThrownBy(() -> withoutJson.endpointsOf(new JsonResult(), JsonResult.class))
                .isInstanceOf(InvalidEndpointException.class)
                .hasMessageContaining("#get(): it returns Payload as JSON, but there is no JsonCodec bean");
        assertThat(withoutJson.endpointsOf(new TextOnly(), TextOnly.class)).hasSize(2);
    }

    @Test
    void errorStatusOnAMethodMustNameExceptionsAndAnErrorStatus() {
        assertRefused(MappingWithoutExceptions.class, "@ErrorStatus(404) on the method must name the exceptions");
        assertRefused(MappingToSuccess.class, "has status 200; an error status is 400-599");
    }

    private void assertRefused(Class<?> controller, String message) {
        Object bean;
        try {
            var constructor = controller.getDeclaredConstructor();
            constructor.setAccessible(true);
            bean = constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> factory.endpointsOf(bean, controller))
                .isInstanceOf(InvalidEndpointException.class)
                .hasMessageStartingWith("Invalid endpoint " + controller.getName() + "#")
                .hasMessageContaining(message);
    }
}
