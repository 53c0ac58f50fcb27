// "Navigate" links into the map apps riders use. Each app wants its own datum: AMap and Apple
// Maps (in China) GCJ-02, Baidu BD-09; the server converts, this only builds the links.

interface Point {
  lat: number;
  lng: number;
}

export interface NavigationLinks {
  amap: string;
  baidu: string;
  apple: string;
}

const fixed = (n: number) => n.toFixed(6);

export function navigationLinks(name: string, gcj02: Point, bd09: Point): NavigationLinks {
  const title = encodeURIComponent(name);
  return {
    amap: `https://uri.amap.com/marker?position=${fixed(gcj02.lng)},${fixed(gcj02.lat)}&name=${title}&coordinate=gaode&callnative=1`,
    baidu: `https://api.map.baidu.com/marker?location=${fixed(bd09.lat)},${fixed(bd09.lng)}&title=${title}&content=${title}&coord_type=bd09ll&output=html&src=nuanxin`,
    apple: `https://maps.apple.com/?ll=${fixed(gcj02.lat)},${fixed(gcj02.lng)}&q=${title}`,
  };
}
