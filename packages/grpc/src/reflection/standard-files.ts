import { create, createFileRegistry, type DescFile, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FileDescriptorProtoSchema,
  type DescriptorProtoSchema,
  type FieldDescriptorProtoSchema,
  type FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";

type FieldInit = MessageInitShape<typeof FieldDescriptorProtoSchema>;
type MessageInit = MessageInitShape<typeof DescriptorProtoSchema>;

// grpc's own health and reflection protocols have no protobuf-es code in
// npm, so their files are declared here: the same names, packages, messages
// and field numbers as grpc/health/v1/health.proto and
// grpc/reflection/{v1,v1alpha}/reflection.proto (file options left out).

function field(name: string, number: number, type: Type, more: FieldInit = {}): FieldInit {
  const jsonName = name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return { name, number, type, label: Label.OPTIONAL, jsonName, ...more };
}

function message(name: string, fields: FieldInit[], more: MessageInit = {}): MessageInit {
  return { name, field: fields, ...more };
}

function fileOf(proto: FileDescriptorProto): DescFile {
  const file = createFileRegistry(proto, () => undefined).getFile(proto.name);
  if (!file) throw new Error(`${proto.name} did not build`);
  return file;
}

function serviceOf(file: DescFile): DescService {
  return file.services[0]!;
}

/** grpc.health.v1 as grpc-health-check and the gateway implement it: Check and Watch (not the newer List). */
const healthFile = fileOf(
  create(FileDescriptorProtoSchema, {
    name: "grpc/health/v1/health.proto",
    package: "grpc.health.v1",
    syntax: "proto3",
    messageType: [
      message("HealthCheckRequest", [field("service", 1, Type.STRING)]),
      message("HealthCheckResponse", [field("status", 1, Type.ENUM, { typeName: ".grpc.health.v1.HealthCheckResponse.ServingStatus" })], {
        enumType: [
          {
            name: "ServingStatus",
            value: [
              { name: "UNKNOWN", number: 0 },
              { name: "SERVING", number: 1 },
              { name: "NOT_SERVING", number: 2 },
              { name: "SERVICE_UNKNOWN", number: 3 },
            ],
          },
        ],
      }),
    ],
    service: [
      {
        name: "Health",
        method: [
          { name: "Check", inputType: ".grpc.health.v1.HealthCheckRequest", outputType: ".grpc.health.v1.HealthCheckResponse" },
          {
            name: "Watch",
            inputType: ".grpc.health.v1.HealthCheckRequest",
            outputType: ".grpc.health.v1.HealthCheckResponse",
            serverStreaming: true,
          },
        ],
      },
    ],
  }),
);

export const HealthService = serviceOf(healthFile);

function reflectionFile(version: "v1" | "v1alpha"): DescFile {
  const pkg = `grpc.reflection.${version}`;
  const ref = (name: string) => ({ typeName: `.${pkg}.${name}` });
  const inRequest = { oneofIndex: 0 };
  return fileOf(
    create(FileDescriptorProtoSchema, {
      name: `grpc/reflection/${version}/reflection.proto`,
      package: pkg,
      syntax: "proto3",
      messageType: [
        message(
          "ServerReflectionRequest",
          [
            field("host", 1, Type.STRING),
            field("file_by_filename", 3, Type.STRING, inRequest),
            field("file_containing_symbol", 4, Type.STRING, inRequest),
            field("file_containing_extension", 5, Type.MESSAGE, { ...inRequest, ...ref("ExtensionRequest") }),
            field("all_extension_numbers_of_type", 6, Type.STRING, inRequest),
            field("list_services", 7, Type.STRING, inRequest),
          ],
          { oneofDecl: [{ name: "message_request" }] },
        ),
        message("ExtensionRequest", [field("containing_type", 1, Type.STRING), field("extension_number", 2, Type.INT32)]),
        message(
          "ServerReflectionResponse",
          [
            field("valid_host", 1, Type.STRING),
            field("original_request", 2, Type.MESSAGE, ref("ServerReflectionRequest")),
            field("file_descriptor_response", 4, Type.MESSAGE, { ...inRequest, ...ref("FileDescriptorResponse") }),
            field("all_extension_numbers_response", 5, Type.MESSAGE, { ...inRequest, ...ref("ExtensionNumberResponse") }),
            field("list_services_response", 6, Type.MESSAGE, { ...inRequest, ...ref("ListServiceResponse") }),
            field("error_response", 7, Type.MESSAGE, { ...inRequest, ...ref("ErrorResponse") }),
          ],
          { oneofDecl: [{ name: "message_response" }] },
        ),
        message("FileDescriptorResponse", [field("file_descriptor_proto", 1, Type.BYTES, { label: Label.REPEATED })]),
        message("ExtensionNumberResponse", [
          field("base_type_name", 1, Type.STRING),
          field("extension_number", 2, Type.INT32, { label: Label.REPEATED }),
        ]),
        message("ListServiceResponse", [field("service", 1, Type.MESSAGE, { label: Label.REPEATED, ...ref("ServiceResponse") })]),
        message("ServiceResponse", [field("name", 1, Type.STRING)]),
        message("ErrorResponse", [field("error_code", 1, Type.INT32), field("error_message", 2, Type.STRING)]),
      ],
      service: [
        {
          name: "ServerReflection",
          method: [
            {
              name: "ServerReflectionInfo",
              inputType: `.${pkg}.ServerReflectionRequest`,
              outputType: `.${pkg}.ServerReflectionResponse`,
              clientStreaming: true,
              serverStreaming: true,
            },
          ],
        },
      ],
    }),
  );
}

/** Both versions: grpcurl and grpc-go speak v1, older clients (and some current ones) only v1alpha. */
export const ReflectionServices: readonly DescService[] = [serviceOf(reflectionFile("v1")), serviceOf(reflectionFile("v1alpha"))];
