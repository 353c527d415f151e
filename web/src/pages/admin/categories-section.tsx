import { useMutation, useQuery } from "@connectrpc/connect-query";
import { CatalogService } from "@kino/proto/catalog/v1";
import { useState, type FormEvent } from "react";
import { ErrorText } from "../../ui/error-text.tsx";
import { Field } from "../../ui/field.tsx";

/** The categories creators choose from: added or renamed by slug, removed. */
export function CategoriesSection() {
  const categories = useQuery(CatalogService.method.listCategories, {});
  const [slug, setSlug] = useState("");
  const [name, setName] = useState("");
  const put = useMutation(CatalogService.method.putCategory, {
    onSuccess: () => {
      setSlug("");
      setName("");
      void categories.refetch();
    },
  });
  const remove = useMutation(CatalogService.method.deleteCategory, { onSuccess: () => categories.refetch() });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    put.mutate({ category: { slug: slug.trim(), name: name.trim() } });
  };
  return (
    <section aria-labelledby="categories-title" className="card">
      <h2 id="categories-title">Categories</h2>
      <form onSubmit={submit} className="stack">
        <Field label="Slug" hint="a-z, 0-9 and -, starting with a letter; an existing slug is renamed." required maxLength={40} value={slug} onChange={(e) => setSlug(e.target.value)} />
        <Field label="Name" required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
        <ErrorText error={put.error} prefix="Category not saved" />
        <button type="submit" disabled={put.isPending}>
          Save category
        </button>
      </form>
      <ErrorText error={categories.error} prefix="Could not list the categories" />
      <ErrorText error={remove.error} prefix="Category not removed" />
      {categories.data && categories.data.categories.length === 0 ? <p className="empty">No categories yet.</p> : null}
      {categories.data && categories.data.categories.length > 0 ? (
        <ul className="category-list" aria-label="Categories">
          {categories.data.categories.map((category) => (
            <li key={category.slug}>
              <span>
                {category.name} <code>{category.slug}</code>
              </span>
              <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate({ slug: category.slug })}>
                Remove<span className="visually-hidden"> {category.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
