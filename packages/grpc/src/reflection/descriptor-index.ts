import type { DescEnum, DescExtension, DescFile, DescMessage, DescService } from "@bufbuild/protobuf";

/** What server reflection can be asked, answered from protobuf-es descriptors. */
export interface DescriptorIndex {
  /** Fully-qualified names of the services to list, sorted. */
  readonly serviceNames: readonly string[];
  /** The file with this path, e.g. `kino/catalog/v1/catalog_service.proto`. */
  fileByName(name: string): DescFile | undefined;
  /** The file declaring a service, method, message, field, oneof, enum, enum value or extension. */
  fileContainingSymbol(symbol: string): DescFile | undefined;
  fileContainingExtension(extendee: string, number: number): DescFile | undefined;
  /** Extension numbers known for a message type; undefined when the type is unknown. */
  extensionNumbersOf(typeName: string): number[] | undefined;
  /** The file followed by every file it imports, directly or not, each once. */
  withDependencies(file: DescFile): DescFile[];
}

/**
 * An index over the files declaring `services` and everything they import
 * (well-known types included), so each file is served as it was compiled:
 * its real path, its real imports.
 */
export function createDescriptorIndex(services: readonly DescService[]): DescriptorIndex {
  const files = new Map<string, DescFile>();
  const symbols = new Map<string, DescFile>();
  const extensions = new Map<string, DescExtension[]>();
  const messages = new Set<string>();

  const addExtensions = (file: DescFile, list: readonly DescExtension[]) => {
    for (const extension of list) {
      symbols.set(extension.typeName, file);
      const known = extensions.get(extension.extendee.typeName) ?? [];
      extensions.set(extension.extendee.typeName, [...known, extension]);
    }
  };
  const addEnum = (file: DescFile, descEnum: DescEnum) => {
    symbols.set(descEnum.typeName, file);
    // Enum values are scoped next to their enum, not inside it.
    const scope = descEnum.typeName.slice(0, descEnum.typeName.lastIndexOf("."));
    for (const value of descEnum.values) symbols.set(scope ? `${scope}.${value.name}` : value.name, file);
  };
  const addMessage = (file: DescFile, message: DescMessage) => {
    symbols.set(message.typeName, file);
    messages.add(message.typeName);
    for (const field of message.fields) symbols.set(`${message.typeName}.${field.name}`, file);
    for (const oneof of message.oneofs) symbols.set(`${message.typeName}.${oneof.name}`, file);
    for (const nested of message.nestedMessages) addMessage(file, nested);
    for (const nested of message.nestedEnums) addEnum(file, nested);
    addExtensions(file, message.nestedExtensions);
  };
  const addFile = (file: DescFile) => {
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    for (const message of file.messages) addMessage(file, message);
    for (const descEnum of file.enums) addEnum(file, descEnum);
    for (const service of file.services) {
      symbols.set(service.typeName, file);
      for (const method of service.methods) symbols.set(`${service.typeName}.${method.name}`, file);
    }
    addExtensions(file, file.extensions);
    for (const dependency of file.dependencies) addFile(dependency);
  };
  for (const service of services) addFile(service.file);

  return {
    serviceNames: [...new Set(services.map((s) => s.typeName))].sort(),
    fileByName: (name) => files.get(name),
    fileContainingSymbol: (symbol) => symbols.get(symbol.replace(/^\./, "")),
    fileContainingExtension: (extendee, number) => {
      const extension = extensions.get(extendee.replace(/^\./, ""))?.find((e) => e.number === number);
      return extension && symbols.get(extension.typeName);
    },
    extensionNumbersOf(typeName) {
      const name = typeName.replace(/^\./, "");
      return messages.has(name) ? (extensions.get(name) ?? []).map((e) => e.number) : undefined;
    },
    withDependencies(file) {
      const ordered: DescFile[] = [];
      const visit = (f: DescFile) => {
        if (ordered.includes(f)) return;
        ordered.push(f);
        f.dependencies.forEach(visit);
      };
      visit(file);
      return ordered;
    },
  };
}
