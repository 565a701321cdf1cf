package com.emotionmonitor.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The wire contracts stay fully compatible with every released version, and every field is documented. */
class SchemaCompatibilityTest {

    /** Released versions, oldest first: each is a folder under src/test/resources/released/. */
    static final List<String> RELEASES = List.of("0.1.0");

    /** Enums and shared types first: the parser must know a name before a record uses it. */
    static final List<String> FILES = List.of(
            "Emotion", "SocialPost", "EmotionEvent", "EmotionStats", "EmotionAlert", "ModelCommand", "DeadLetter");

    /** The schemas the code writes and reads today, by full name. */
    static final Map<String, Schema> CURRENT = Map.of(
            "com.emotionmonitor.schema.Emotion", Emotion.getClassSchema(),
            "com.emotionmonitor.schema.SocialPost", SocialPost.getClassSchema(),
            "com.emotionmonitor.schema.EmotionEvent", EmotionEvent.getClassSchema(),
            "com.emotionmonitor.schema.EmotionStats", EmotionStats.getClassSchema(),
            "com.emotionmonitor.schema.EmotionAlert", EmotionAlert.getClassSchema(),
            "com.emotionmonitor.schema.ModelCommand", ModelCommand.getClassSchema(),
            "com.emotionmonitor.schema.DeadLetter", DeadLetter.getClassSchema());

    /**
     * Wire types added since the latest release: no released baseline to be compatible with yet, but documented like
     * the rest. At the next release they move into {@link #CURRENT} (and into the new release folder).
     */
    static final Map<String, Schema> UNRELEASED = Map.of(
            "com.emotionmonitor.schema.ModelStatus", ModelStatus.getClassSchema(),
            "com.emotionmonitor.schema.ModelComparison", ModelComparison.getClassSchema(),
            "com.emotionmonitor.schema.DriftAlert", DriftAlert.getClassSchema());

    static Stream<Arguments> releasedSchemas() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String release : RELEASES) {
            for (Schema released : parseRelease(release)) {
                out.add(Arguments.of(release, released.getFullName(), released));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} is fully compatible with release {0}")
    @MethodSource("releasedSchemas")
    void currentSchemaIsFullyCompatibleWithRelease(String release, String name, Schema released) {
        Schema current = CURRENT.get(name);
        assertNotNull(current, name + " was released in " + release + " but no longer exists: removing a type breaks readers");
        assertCompatible("new readers must read " + release + " data", current, released);
        assertCompatible(release + " readers must read new data", released, current);
    }

    @Test
    void everyCurrentTypeIsCoveredByTheLatestRelease() throws IOException {
        Set<String> released = new HashSet<>();
        for (Schema s : parseRelease(RELEASES.get(RELEASES.size() - 1))) {
            released.add(s.getFullName());
        }
        assertEquals(CURRENT.keySet(), released,
                "a new wire type needs a released baseline: copy src/main/avro into a new release folder");
    }

    @Test
    void everyTypeAndFieldIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        CURRENT.values().forEach(s -> collectUndocumented(s, s.getFullName(), undocumented, new HashSet<>()));
        UNRELEASED.values().forEach(s -> collectUndocumented(s, s.getFullName(), undocumented, new HashSet<>()));
        assertTrue(undocumented.isEmpty(), "missing doc: " + undocumented);
    }

    /** Negative control: the checker used above really rejects the classic breaking changes. */
    @Test
    void checkerRejectsBreakingChanges() {
        Schema current = SocialPost.getClassSchema();
        Schema newRequiredField = withExtraField(current, "lang", SchemaBuilder.builder().stringType(), null);
        assertFalse(compatible(newRequiredField, current), "a new field without a default cannot read old data");

        Schema fewerEmotions = SchemaBuilder.enumeration("Emotion").namespace("com.emotionmonitor.schema")
                .symbols("HAPPY", "ANGRY", "SAD", "FEAR", "SURPRISE");
        assertFalse(compatible(fewerEmotions, Emotion.getClassSchema()), "a dropped enum symbol cannot read NEUTRAL");

        Schema optionalField = withExtraField(current, "lang", SchemaBuilder.builder().nullable().stringType(), Schema.Field.NULL_DEFAULT_VALUE);
        assertTrue(compatible(optionalField, current), "an optional field with a default is a compatible change");

        // Why rollout steps are a new optional field of ModelCommand and not new ModelAction symbols: the released
        // enum has no default symbol, so its readers cannot read a SHADOW.
        Schema releasedAction = ModelCommand.getClassSchema().getField("action").schema();
        Schema moreActions = SchemaBuilder.enumeration("ModelAction").namespace("com.emotionmonitor.schema")
                .symbols("ACTIVATE", "ROLLBACK", "SHADOW");
        assertFalse(compatible(releasedAction, moreActions), "0.1.0 readers of ModelAction cannot read a new symbol");
    }

    private static List<Schema> parseRelease(String release) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        List<Schema> schemas = new ArrayList<>();
        for (String file : FILES) {
            String path = "/released/" + release + "/" + file + ".avsc";
            try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream(path)) {
                assertNotNull(in, "missing " + path);
                schemas.add(parser.parse(in));
            }
        }
        return schemas;
    }

    private static void assertCompatible(String what, Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(),
                () -> what + ": " + result.getResult().getIncompatibilities());
    }

    private static boolean compatible(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibilityType.COMPATIBLE;
    }

    private static Schema withExtraField(Schema record, String name, Schema type, Object defaultValue) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field(name, type, "test field", defaultValue));
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    private static void collectUndocumented(Schema schema, String path, List<String> out, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                requireDoc(schema.getDoc(), path, out);
                for (Schema.Field f : schema.getFields()) {
                    requireDoc(f.doc(), path + "." + f.name(), out);
                    collectUndocumented(f.schema(), path + "." + f.name(), out, seen);
                }
            }
            case ENUM -> requireDoc(schema.getDoc(), path + " (" + schema.getName() + ")", out);
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, path, out, seen));
            case ARRAY -> collectUndocumented(schema.getElementType(), path + "[]", out, seen);
            case MAP -> collectUndocumented(schema.getValueType(), path + "{}", out, seen);
            default -> { }
        }
    }

    private static void requireDoc(String doc, String path, List<String> out) {
        if (doc == null || doc.isBlank()) {
            out.add(path);
        }
    }
}
